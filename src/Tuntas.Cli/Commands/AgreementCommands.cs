using Microsoft.EntityFrameworkCore;
using Tuntas.Access;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas users agreements list|add|revoke</c>: data-sharing agreements with partner organizations, the same use
/// cases as the back office's /Pengguna/Perjanjian. Shared families are read as NO_KK lines from a file or standard
/// input, never from the command line (shell history).
/// </summary>
public static class AgreementCommands
{
    public static Command Create(CliContext context)
    {
        var agreements = new Command("agreements", CliTexts.Both("Agreements.Command.Agreements"));
        agreements.Subcommands.Add(List(context));
        agreements.Subcommands.Add(Add(context));
        agreements.Subcommands.Add(Revoke(context));
        return agreements;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", CliTexts.Both("Agreements.Command.List"));
        command.SetAction(async (_, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            // The regency's day: an agreement ending today is still "berlaku" in WIB's morning, when UTC's date is yesterday's.
            var today = context.Regency.Value.Today(context.Clock);
            var counts = await db.DataSharingItems.AsNoTracking().GroupBy(i => i.AgreementId)
                .Select(g => new { g.Key, Villages = g.Count(i => i.KodeDesa != null), Families = g.Count(i => i.FamilyId != null) })
                .ToDictionaryAsync(x => x.Key, cancellationToken);
            foreach (var a in await db.DataSharingAgreements.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken))
            {
                var state = a.RevokedAt is not null ? "dicabut" : a.IsActiveOn(today) ? "berlaku" : today < a.StartsOn ? "belum-berlaku" : "berakhir";
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{a.Id}\t{a.Number}\t{a.Organization}\t{a.StartsOn:yyyy-MM-dd}\t{a.EndsOn:yyyy-MM-dd}\t{counts.GetValueOrDefault(a.Id)?.Villages ?? 0} desa\t{counts.GetValueOrDefault(a.Id)?.Families ?? 0} keluarga\t{state}"));
            }
            return 0;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var number = new Argument<string>("NOMOR");
        var organization = new Option<string>("--organization") { Description = CliTexts.Both("Agreements.Option.Organization"), Required = true };
        var purpose = new Option<string>("--purpose") { Description = CliTexts.Both("Option.Purpose"), Required = true };
        var starts = DateOptions.Optional("--from", CliTexts.Both("Option.From"));
        var ends = DateOptions.Required("--until", CliTexts.Both("Option.Until"));
        var villages = new Option<string[]>("--village") { Description = CliTexts.Both("Agreements.Option.Village"), AllowMultipleArgumentsPerToken = true };
        var families = new Option<FileInfo?>("--families") { Description = CliTexts.Both("Agreements.Option.Families") };
        var command = new Command("add", CliTexts.Both("Agreements.Command.Add")) { number, organization, purpose, starts, ends, villages, families };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            IReadOnlyList<string> numbers = parse.GetValue(families) is { } file
                ? file.Name == "-" ? (await Console.In.ReadToEndAsync(cancellationToken)).Split('\n') : await File.ReadAllLinesAsync(file.FullName, cancellationToken)
                : [];
            var today = context.Regency.Value.Today(context.Clock);
            var outcome = await new RecordAgreement(db, context.Clock, context.Regency).RunAsync(new RecordAgreement.Input(parse.GetValue(number)!, parse.GetValue(organization)!,
                parse.GetValue(purpose)!, parse.GetValue(starts) ?? today, parse.GetValue(ends), parse.GetValue(villages) ?? [], numbers, CliContext.Operator(null)),
                cancellationToken);
            if (outcome.Agreement is not { } agreement)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "perjanjian", agreement.Id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"perjanjian #{agreement.Id} {agreement.Number} dengan {agreement.Organization}: {outcome.Villages} desa, {outcome.Families} keluarga, {agreement.StartsOn:yyyy-MM-dd} s.d. {agreement.EndsOn:yyyy-MM-dd}"),
                cancellationToken);
            context.Out.WriteLine(agreement.Id.ToString(CultureInfo.InvariantCulture));
            context.Error.WriteLine(CliTexts.Both("Agreements.Recorded", outcome.Villages, outcome.Families));
            return 0;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var id = new Argument<long>("ID");
        var reason = new Option<string>("--reason") { Description = CliTexts.Both("Option.Reason"), Required = true };
        var command = new Command("revoke", CliTexts.Both("Agreements.Command.Revoke")) { id, reason };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new RevokeAgreement(db, context.Clock).RunAsync(parse.GetValue(id), parse.GetValue(reason)!, CliContext.Operator(null), cancellationToken);
            if (!outcome.Found)
            {
                context.Error.WriteLine(CliTexts.Both("Agreements.NotFound"));
                return 2;
            }
            if (outcome.Problem is { } problem)
            {
                return Refusals.Print(context, [problem]);
            }
            await context.AuditAsync(database, null, Audit.AuditActions.Change, "perjanjian", parse.GetValue(id).ToString(CultureInfo.InvariantCulture),
                $"perjanjian #{parse.GetValue(id)} dicabut: {parse.GetValue(reason)}", cancellationToken);
            context.Error.WriteLine(CliTexts.Both("Agreements.Revoked"));
            return 0;
        });
        return command;
    }
}
