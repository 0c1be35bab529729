using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tuntas.Users;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas users add|list|disable|reset-password</c> and <c>tuntas users api-client NAME</c>. Passwords are read from
/// standard input (never from the command line, where they would land in the shell history) or generated.
/// </summary>
public static class UserCommands
{
    public static Command Create(CliContext context)
    {
        var users = new Command("users", "Pengguna back office / back-office users");
        users.Subcommands.Add(Add(context));
        users.Subcommands.Add(List(context));
        users.Subcommands.Add(Disable(context));
        users.Subcommands.Add(ResetPassword(context));
        users.Subcommands.Add(AddApiClient(context));
        return users;
    }

    private static Command Add(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var role = new Option<string>("--role") { Description = "Peran / role: " + string.Join(", ", Roles.All), Required = true };
        var region = new Option<string?>("--region") { Description = "Kode wilayah (desa untuk operator desa) / region code" };
        var display = new Option<string?>("--name") { Description = "Nama lengkap / display name" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Baca kata sandi dari stdin / read the password from standard input" };
        var command = new Command("add", "Tambah pengguna / add a user") { name, role, region, display, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var password = parse.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "" : Generate();
            await using var db = database.CreateDb();
            // The same use case as the back office: one set of checks (lower-case names, dotted or plain region codes).
            var outcome = await new AddUser(db, context.Clock).RunAsync(
                new AddUser.Input(parse.GetValue(name)!, parse.GetValue(display) ?? "", password, parse.GetValue(role)!, parse.GetValue(region)), cancellationToken);
            if (!outcome.Succeeded)
            {
                foreach (var problem in outcome.Problems)
                {
                    context.Error.WriteLine($"{problem.Message} / {problem.MessageEn}");
                }
                return 2;
            }
            context.Error.WriteLine($"Pengguna ditambahkan / user added: {outcome.User!.UserName} ({outcome.User.Role}).");
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
            await using var db = database.CreateDb();
            foreach (var user in await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken))
            {
                context.Out.WriteLine($"{user.UserName}\t{user.Role}\t{user.RegionCode ?? "-"}\t{(user.Disabled ? "nonaktif" : "aktif")}");
            }
            return 0;
        });
        return command;
    }

    private static Command Disable(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var command = new Command("disable", "Nonaktifkan pengguna / disable a user") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var userName = AddUser.NormalizeUserName(parse.GetValue(name));
            var changed = await db.Users.Where(u => u.UserName == userName).ExecuteUpdateAsync(s => s.SetProperty(u => u.Disabled, true), cancellationToken);
            context.Error.WriteLine(changed == 1 ? $"Dinonaktifkan / disabled: {userName}" : $"Tidak ditemukan / not found: {userName}");
            return changed == 1 ? 0 : 2;
        });
        return command;
    }

    private static Command ResetPassword(CliContext context)
    {
        var name = new Argument<string>("USERNAME");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Baca kata sandi dari stdin / read the password from standard input" };
        var command = new Command("reset-password", "Atur ulang kata sandi (dicetak ke stdout) / reset a password (printed)") { name, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var userName = AddUser.NormalizeUserName(parse.GetValue(name));
            var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, cancellationToken);
            if (user is null)
            {
                context.Error.WriteLine($"Tidak ditemukan / not found: {userName}");
                return 2;
            }
            var password = parse.GetValue(passwordStdin) ? (await Console.In.ReadLineAsync(cancellationToken))?.Trim() ?? "" : Generate();
            if (password.Length < 10)
            {
                context.Error.WriteLine("Kata sandi minimal 10 karakter / the password needs at least 10 characters.");
                return 2;
            }
            user.PasswordHash = new PasswordHasher<User>().HashPassword(user, password);
            user.FailedSignIns = 0;
            user.LockedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
            context.Error.WriteLine($"Kata sandi diatur ulang / password reset: {userName}");
            if (!parse.GetValue(passwordStdin))
            {
                context.Out.WriteLine(password);
            }
            return 0;
        });
        return command;
    }

    private static Command AddApiClient(CliContext context)
    {
        var name = new Argument<string>("NAME");
        var role = new Option<string>("--role") { Description = "Peran klien / client role", DefaultValueFactory = _ => Roles.Auditor };
        var command = new Command("api-client", "Buat klien API; kunci dicetak sekali / create an API client; the key is printed once") { name, role };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            var roleName = parse.GetValue(role)!;
            if (!Roles.All.Contains(roleName))
            {
                context.Error.WriteLine($"Peran tidak dikenal / unknown role: {roleName}");
                return 2;
            }
            var key = "tnt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            await using var db = database.CreateDb();
            db.ApiClients.Add(new ApiClient
            {
                Name = parse.GetValue(name)!,
                KeyHash = ApiKeys.Hash(key),
                Role = roleName,
                CreatedAt = context.Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            context.Error.WriteLine("Simpan kunci ini; tidak akan ditampilkan lagi / keep this key; it is not shown again:");
            context.Out.WriteLine(key);
            return 0;
        });
        return command;
    }

    private static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
}
