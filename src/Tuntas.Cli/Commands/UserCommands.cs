using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Users;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas users add|list|disable|enable|reset-password|reset-2fa|assign</c>, <c>tuntas users api-client NAME</c> and
/// <c>tuntas users agreements list|add|revoke</c>: the same use cases as the back office's /Pengguna pages, each change
/// recorded in the audit trail. Passwords are read from standard input (never from the command line, where they would
/// land in the shell history) or generated.
/// </summary>
public static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var users = new Command("users", "Pengguna back office / back-office users");
        users.Subcommands.Add(Add(context));
        users.Subcommands.Add(List(context));
        users.Subcommands.Add(SetActive(context, disable: true));
        users.Subcommands.Add(SetActive(context, disable: false));
        users.Subcommands.Add(ResetPassword(context));
        users.Subcommands.Add(ResetSecondFactor(context));
        users.Subcommands.Add(Assign(context));
        users.Subcommands.Add(AddApiClient(context));
        users.Subcommands.Add(AgreementCommands.Create(context));
        DeviceTokenCommands.AddTo(users, context);
        return users;
    }

    private static Command Add(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var role = new Option<string>("--role") { Description = "Peran / role: " + string.Join(", ", Roles.All), Required = true };
        var region = new Option<string?>("--region") { Description = "Kode wilayah (desa untuk operator desa) / region code" };
        var display = new Option<string?>("--name") { Description = "Nama lengkap / display name" };
        var organization = new Option<string?>("--organization") { Description = "OPD (petugas-opd) atau lembaga mitra (mitra, wajib) / agency or partner organization" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Baca kata sandi dari stdin / read the password from standard input" };
        var command = new Command("add", "Tambah pengguna / add a user") { name, role, region, display, organization, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var password = parse.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "" : Users.ResetPassword.Generate();
            await using var db = database.CreateDb();
            // The same use case as the back office: one set of checks (lower-case names, dotted or plain region codes).
            var outcome = await new AddUser(db, context.Clock).RunAsync(
                new AddUser.Input(parse.GetValue(name)!, parse.GetValue(display) ?? "", password, parse.GetValue(role)!, parse.GetValue(region),
                    parse.GetValue(organization)), cancellationToken);
            if (!outcome.Succeeded)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            context.Error.WriteLine($"Pengguna ditambahkan / user added: {outcome.User!.UserName} ({outcome.User.Role}).");
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", outcome.User.UserName,
                $"pengguna baru {outcome.User.UserName}: peran {outcome.User.Role}, wilayah {outcome.User.RegionCode ?? "-"}, lembaga {outcome.User.Organization ?? "-"}", cancellationToken);
            if (!parse.GetValue(passwordStdin))
            {
                context.Out.WriteLine(password);
            }
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "Daftar pengguna / list users");
        command.SetAction(async (_, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            foreach (var user in await new ListUsers(database).RunAsync(cancellationToken))
            {
                context.Out.WriteLine($"{user.UserName}\t{user.Role}\t{user.RegionCode ?? "-"}\t{user.Organization ?? "-"}\t{(user.Disabled ? "nonaktif" : "aktif")}");
            }
            return 0;
        });
        return command;
    }

    private static Command SetActive(CliContext context, bool disable)
    {
        var name = new Argument<string>("USERNAME");
        var command = disable
            ? new Command("disable", "Nonaktifkan pengguna; sesinya berakhir / disable a user; its session ends") { name }
            : new Command("enable", "Aktifkan kembali pengguna / re-enable a user") { name };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            var outcome = await new ChangeUser(db, context.Clock).RunAsync(new ChangeUser.Input(id, CliContext.Operator(null), Disabled: disable), cancellationToken);
            if (!outcome.Succeeded)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName, $"pengguna {userName}: " + string.Join("; ", outcome.Changes), cancellationToken);
            context.Error.WriteLine(disable ? $"Dinonaktifkan / disabled: {userName}" : $"Diaktifkan / enabled: {userName}");
            return 0;
        });
        return command;
    }

    private static Command ResetPassword(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Baca kata sandi dari stdin / read the password from standard input" };
        var command = new Command("reset-password", "Atur ulang kata sandi (dicetak ke stdout) / reset a password (printed)") { name, passwordStdin };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            var given = parse.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "" : null;
            var outcome = await new Users.ResetPassword(db, context.Clock).RunAsync(id, given, cancellationToken);
            if (outcome.Problem is { } problem)
            {
                return Refusals.Print(context, [problem]);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName, $"pengguna {userName}: kata sandi diatur ulang", cancellationToken);
            context.Error.WriteLine($"Kata sandi diatur ulang / password reset: {userName}");
            if (given is null)
            {
                context.Out.WriteLine(outcome.Password);
            }
            return 0;
        });
        return command;
    }

    private static Command Assign(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var villages = new Argument<string[]>("KODE_DESA") { Arity = ArgumentArity.ZeroOrMore, Description = "Kode desa; kosong = lepas semua / village codes; none = remove all" };
        var command = new Command("assign", "Tetapkan desa tugas pendamping (menggantikan daftar lama) / set a facilitator's villages (replaces the list)") { name, villages };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            var outcome = await new Access.AssignVillages(db, context.Clock).RunAsync(
                new Access.AssignVillages.Input(id, parse.GetValue(villages) ?? [], CliContext.Operator(null)), cancellationToken);
            if (!outcome.Succeeded)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName,
                $"pengguna {userName}: desa ditambah [{string.Join(", ", outcome.Added)}], dilepas [{string.Join(", ", outcome.Removed)}]", cancellationToken);
            context.Error.WriteLine($"Desa tugas / villages: +{outcome.Added.Count} −{outcome.Removed.Count}");
            return 0;
        });
        return command;
    }


    /// <summary>The user a subcommand names: the database, the name as stored and the id.</summary>
    private sealed record NamedUser(TuntasDatabase Database, TuntasDb Db, string UserName, long Id);

    /// <summary>
    /// Runs <paramref name="action"/> on the user named by <paramref name="name"/> (normalized as the back office does),
    /// or exits 2 after saying the name was not found.
    /// </summary>
    private static void OnNamedUser(Command command, Argument<string> name, CliContext context,
        Func<NamedUser, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var userName = AddUser.NormalizeUserName(parse.GetValue(name));
            var id = await db.Users.Where(u => u.UserName == userName).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
            if (id is null)
            {
                context.Error.WriteLine($"Tidak ditemukan / not found: {userName}");
                return 2;
            }
            return await action(new NamedUser(database, db, userName, id.Value), parse, cancellationToken);
        });

    private static Command ResetSecondFactor(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var command = new Command("reset-2fa", "Hapus kunci autentikator (HP hilang); daftar ulang saat masuk / clear the authenticator key (lost phone); enroll again at sign-in") { name };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            await new SecondFactor(db, new SignInThrottle(SignInThrottle.Options.Default, context.Clock), context.Clock).ResetAsync(id, cancellationToken);
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName, $"kunci autentikator {userName} dihapus; sesi diakhiri", cancellationToken);
            context.Error.WriteLine($"Kunci autentikator dihapus; {userName} mendaftar ulang saat masuk / authenticator key cleared; {userName} enrolls again at sign-in.");
            return 0;
        });
        return command;
    }

    private static Command AddApiClient(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var role = new Option<string>("--role") { Description = "Peran klien / client role", DefaultValueFactory = _ => Roles.Auditor };
        var region = new Option<string?>("--region") { Description = "Kode wilayah (desa untuk operator-desa, wajib) / region code (a village for operator-desa, required)" };
        var organization = new Option<string?>("--organization") { Description = "OPD atau lembaga mitra (mitra, wajib) / agency or partner organization" };
        var signingKey = new Option<string?>("--signing-key") { Description = "Berkas kunci publik Ed25519 (PEM atau base64) untuk tanda tangan pesan DCI (docs/dci.md) / Ed25519 public key file for DCI message signatures" };
        var keyId = new Option<string?>("--key-id") { Description = "ID kunci di kidId tanda tangan / the key id in the signature's kidId", DefaultValueFactory = _ => "1" };
        var existing = new Option<long?>("--client") { Description = "Daftarkan/ganti kunci klien #N yang sudah ada (NAME harus namanya) alih-alih membuat klien / register or replace the key of existing client #N (NAME must be its name) instead of creating one" };
        var removeKey = new Option<bool>("--remove-signing-key") { Description = "Dengan --client: hapus kunci tanda tangannya / with --client: remove its signing key" };
        var command = new Command("api-client", "Buat klien API; kunci dicetak sekali / create an API client; the key is printed once") { name, role, region, organization, signingKey, keyId, existing, removeKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var keyFile = parse.GetValue(signingKey);
            var publicKey = keyFile is null ? null : await File.ReadAllTextAsync(keyFile, cancellationToken);
            if (parse.GetValue(existing) is { } clientId)
            {
                var current = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
                if (current is null || current.Name != parse.GetValue(name))
                {
                    return Refusals.Print(context, [new Problem("ClientId", "NOT_FOUND", "Tidak ada klien API dengan nomor dan nama itu.", "No API client has that number and name.")]);
                }
                if (publicKey is null && !parse.GetValue(removeKey))
                {
                    return Refusals.Print(context, [new Problem("SigningKey", "SIGNING_KEY", "Dengan --client: --signing-key BERKAS atau --remove-signing-key.", "With --client: --signing-key FILE or --remove-signing-key.")]);
                }
                return await RegisterKeyAsync(context, database, db, clientId, publicKey, parse.GetValue(keyId), cancellationToken);
            }
            // The same use case as the back office's API-client page: a village's key is bound to its village.
            var outcome = await new Users.AddApiClient(db, context.Clock).RunAsync(
                new Users.AddApiClient.Input(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(region), parse.GetValue(organization)), cancellationToken);
            if (!outcome.Succeeded)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            var client = outcome.Client!;
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "klien-api", client.Name,
                $"klien API baru {client.Name}: peran {client.Role}, wilayah {client.RegionCode ?? "-"}, lembaga {client.Organization ?? "-"}", cancellationToken);
            context.Error.WriteLine($"client_id (DCI, docs/dci.md): {client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            if (publicKey is not null && await RegisterKeyAsync(context, database, db, client.Id, publicKey, parse.GetValue(keyId), cancellationToken) != 0)
            {
                context.Error.WriteLine("Klien dibuat tanpa kunci tanda tangan / client created without a signing key.");
            }
            context.Error.WriteLine("Simpan kunci ini; tidak akan ditampilkan lagi / keep this key; it is not shown again:");
            context.Out.WriteLine(outcome.Key);
            return 0;
        });
        return command;
    }

    /// <summary>The same use case as the back office's /Pengguna/Dci page: registers, replaces or (no key) removes it, audited.</summary>
    private static async Task<int> RegisterKeyAsync(CliContext context, Data.TuntasDatabase database, TuntasDb db, long clientId, string? publicKey, string? keyId,
        CancellationToken cancellationToken)
    {
        var outcome = await new Dci.Signatures.RegisterClientKey(db, context.Clock).RunAsync(new Dci.Signatures.RegisterClientKey.Input(clientId, publicKey, keyId), cancellationToken);
        if (!outcome.Succeeded)
        {
            return Refusals.Print(context, outcome.Problems);
        }
        var said = outcome.Key is { } key
            ? $"kunci tanda tangan DCI {key.KeyId} ({Dci.Signatures.MessageSignature.Fingerprint(key.PublicKey)})"
            : "kunci tanda tangan DCI dihapus";
        await context.AuditAsync(database, null, Audit.AuditActions.Change, "klien-api", outcome.ClientName,
            $"klien API #{clientId.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({outcome.ClientName}): {said}", cancellationToken);
        context.Error.WriteLine($"{said} / DCI signing key {(outcome.Key is null ? "removed" : "registered")}.");
        return 0;
    }
}
