using Microsoft.EntityFrameworkCore;
using Tuntas.FieldCollection;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas users device-token USER --device NAME</c>, <c>tuntas users device-tokens [USER]</c> and
/// <c>tuntas users device-token-revoke ID</c>: the tokens ODK Collect / KoboCollect use (docs/field-collection.md), the
/// same use cases as the back office's /Lapangan/Perangkat page. The token is printed once, on standard output.
/// </summary>
public static class DeviceTokenCommands
{
    public static void AddTo(Command users, CliContext context)
    {
        users.Subcommands.Add(Create(context));
        users.Subcommands.Add(List(context));
        users.Subcommands.Add(Revoke(context));
    }

    private static Command Create(CliContext context)
    {
        var user = new Argument<string>("USER");
        var device = new Option<string>("--device") { Description = CliTexts.Both("Option.Device"), DefaultValueFactory = _ => "ODK Collect" };
        var command = new Command("device-token", CliTexts.Both("DeviceTokens.Command.DeviceToken")) { user, device };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var actor = CliContext.Operator(null);
            var outcome = await new CreateDeviceToken(db, context.Clock).RunAsync(
                new CreateDeviceToken.Input(parse.GetValue(user)!, parse.GetValue(device)!, actor, ActorManagesUsers: true), cancellationToken);
            if (outcome.Problem is { } problem)
            {
                return Refusals.Print(context, [problem]);
            }
            var token = outcome.Token!;
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "token-perangkat", token.Id.ToString(CultureInfo.InvariantCulture),
                $"token perangkat baru #{token.Id} \"{token.Name}\" untuk {parse.GetValue(user)}", cancellationToken);
            context.Error.WriteLine(CliTexts.Id("DeviceTokens.KeepToken") + " /");
            context.Error.WriteLine(CliTexts.En("DeviceTokens.KeepToken"));
            context.Out.WriteLine(outcome.Secret);
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var user = new Argument<string?>("USER") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("device-tokens", CliTexts.Both("DeviceTokens.Command.DeviceTokens")) { user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var name = parse.GetValue(user)?.Trim().ToLowerInvariant();
            var rows = await db.DeviceTokens.AsNoTracking()
                .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new { t.Id, u.UserName, t.Name, t.CreatedAt, t.LastUsedAt, t.RevokedAt })
                .Where(r => name == null || r.UserName == name).OrderBy(r => r.Id).ToListAsync(cancellationToken);
            // Stored in UTC, read in the regency's time: a token made at 06:00 WIB was made today, not yesterday.
            var zone = context.Regency.Value;
            foreach (var r in rows)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id}\t{r.UserName}\t{r.Name}\t{zone.ToRegency(r.CreatedAt):yyyy-MM-dd}\t{(r.LastUsedAt is { } used ? zone.ToRegency(used).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-")}\t{(r.RevokedAt is null ? "aktif" : "dicabut")}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var id = new Argument<long>("ID");
        var command = new Command("device-token-revoke", CliTexts.Both("DeviceTokens.Command.DeviceTokenRevoke")) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var tokenId = parse.GetValue(id);
            if (await new RevokeDeviceToken(db, context.Clock).RunAsync(new RevokeDeviceToken.Input(tokenId, CliContext.Operator(null), true), cancellationToken) is { } problem)
            {
                return Refusals.Print(context, [problem]);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "token-perangkat", tokenId.ToString(CultureInfo.InvariantCulture),
                $"token perangkat #{tokenId} dicabut", cancellationToken);
            context.Error.WriteLine(CliTexts.Both("DeviceTokens.Revoked", tokenId));
            return 0;
        });
        return command;
    }
}
