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
        var users = new Command("users", CliTexts.Both("Users.Command.Users"));
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
        var role = new Option<string>("--role") { Description = CliTexts.Both("Users.Option.Role", string.Join(", ", Roles.All)), Required = true };
        var region = new Option<string?>("--region") { Description = CliTexts.Both("Users.Option.Region") };
        var display = new Option<string?>("--name") { Description = CliTexts.Both("Users.Option.Name") };
        var organization = new Option<string?>("--organization") { Description = CliTexts.Both("Users.Option.Organization") };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = CliTexts.Both("Option.PasswordStdin") };
        var command = new Command("add", CliTexts.Both("Users.Command.Add")) { name, role, region, display, organization, passwordStdin };
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
            context.Error.WriteLine(CliTexts.Both("Users.Added", outcome.User!.UserName, outcome.User.Role));
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
        var command = new Command("list", CliTexts.Both("Users.Command.List"));
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
            ? new Command("disable", CliTexts.Both("Users.Command.Disable")) { name }
            : new Command("enable", CliTexts.Both("Users.Command.Enable")) { name };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            var outcome = await new ChangeUser(db, context.Clock).RunAsync(new ChangeUser.Input(id, CliContext.Operator(null), Disabled: disable), cancellationToken);
            if (!outcome.Succeeded)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName, $"pengguna {userName}: " + string.Join("; ", outcome.Changes), cancellationToken);
            context.Error.WriteLine(disable ? CliTexts.Both("Users.Disabled", userName) : CliTexts.Both("Users.Enabled", userName));
            return 0;
        });
        return command;
    }

    private static Command ResetPassword(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = CliTexts.Both("Option.PasswordStdin") };
        var command = new Command("reset-password", CliTexts.Both("Users.Command.ResetPassword")) { name, passwordStdin };
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
            context.Error.WriteLine(CliTexts.Both("Users.PasswordReset", userName));
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
        var villages = new Argument<string[]>("KODE_DESA") { Arity = ArgumentArity.ZeroOrMore, Description = CliTexts.Both("Argument.KodeDesa") };
        var command = new Command("assign", CliTexts.Both("Users.Command.Assign")) { name, villages };
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
            context.Error.WriteLine(CliTexts.Both("Users.VillagesAssigned", outcome.Added.Count, outcome.Removed.Count));
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
                context.Error.WriteLine(CliTexts.Both("Users.NotFound", userName));
                return 2;
            }
            return await action(new NamedUser(database, db, userName, id.Value), parse, cancellationToken);
        });

    private static Command ResetSecondFactor(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var command = new Command("reset-2fa", CliTexts.Both("Users.Command.Reset2fa")) { name };
        OnNamedUser(command, name, context, async (user, parse, cancellationToken) =>
        {
            var (database, db, userName, id) = user;
            await new SecondFactor(db, new SignInThrottle(SignInThrottle.Options.Default, context.Clock), context.Clock).ResetAsync(id, cancellationToken);
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "pengguna", userName, $"kunci autentikator {userName} dihapus; sesi diakhiri", cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Users.SecondFactorReset", userName));
            return 0;
        });
        return command;
    }

    private static Command AddApiClient(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var role = new Option<string>("--role") { Description = CliTexts.Both("Users.ApiClient.Option.Role"), DefaultValueFactory = _ => Roles.Auditor };
        var region = new Option<string?>("--region") { Description = CliTexts.Both("Users.ApiClient.Option.Region") };
        var organization = new Option<string?>("--organization") { Description = CliTexts.Both("Users.ApiClient.Option.Organization") };
        var signingKey = new Option<string?>("--signing-key") { Description = CliTexts.Both("Option.SigningKey") };
        var keyId = new Option<string?>("--key-id") { Description = CliTexts.Both("Option.KeyId"), DefaultValueFactory = _ => "1" };
        var existing = new Option<long?>("--client") { Description = CliTexts.Both("Option.Client") };
        var removeKey = new Option<bool>("--remove-signing-key") { Description = CliTexts.Both("Option.RemoveSigningKey") };
        var command = new Command("api-client", CliTexts.Both("Users.Command.ApiClient")) { name, role, region, organization, signingKey, keyId, existing, removeKey };
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
                    return Refusals.Print(context, [CliTexts.Problem("Users.ApiClientNotFound", "ClientId", "NOT_FOUND")]);
                }
                if (publicKey is null && !parse.GetValue(removeKey))
                {
                    return Refusals.Print(context, [CliTexts.Problem("Users.SigningKeyNeeded", "SigningKey", "SIGNING_KEY")]);
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
                context.Error.WriteLine(CliTexts.Both("Users.ClientWithoutKey"));
            }
            context.Error.WriteLine(CliTexts.Both("Users.KeepKey"));
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
        // The Indonesian text is also the audit entry's detail.
        var (said, saidBoth) = outcome.Key is { } key
            ? (CliTexts.Id("Users.SigningKeyRegistered", key.KeyId, Dci.Signatures.MessageSignature.Fingerprint(key.PublicKey)),
                CliTexts.Both("Users.SigningKeyRegistered", key.KeyId, Dci.Signatures.MessageSignature.Fingerprint(key.PublicKey)))
            : (CliTexts.Id("Users.SigningKeyRemoved"), CliTexts.Both("Users.SigningKeyRemoved"));
        await context.AuditAsync(database, null, Audit.AuditActions.Change, "klien-api", outcome.ClientName,
            $"klien API #{clientId.ToString(System.Globalization.CultureInfo.InvariantCulture)} ({outcome.ClientName}): {said}", cancellationToken);
        context.Error.WriteLine(saidBoth);
        return 0;
    }
}
