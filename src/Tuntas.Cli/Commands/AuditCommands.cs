using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas audit verify [--head HASH]</c> (exit 3 when the chain is broken) and <c>tuntas audit list</c>.
/// </summary>
public static class AuditCommands
{
    /// <summary>Exit code of a broken chain: distinct from bad input (2) and failures (1), for scripts and cron.</summary>
    public const int Broken = 3;

    public static Command Create(CliContext context)
    {
        var audit = new Command("audit", "Jejak audit / audit trail");
        var head = new Option<string?>("--head") { Description = "Hash kepala rantai yang dicatat sebelumnya / a previously recorded chain head" };
        var verify = new Command("verify", "Periksa rantai hash jejak audit / verify the audit hash chain") { head };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new VerifyAudit(db).RunAsync(new VerifyAudit.Input(parse.GetValue(head)), cancellationToken);
            foreach (var problem in outcome.Problems)
            {
                context.Error.WriteLine($"#{problem.Id} [{problem.Kind}] {problem.Message} / {problem.MessageEn}");
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(outcome.Intact ? "UTUH / intact" : "RUSAK / broken")}: {outcome.Entries} entri; kepala / head #{outcome.HeadId} {outcome.HeadHash}"));
            return outcome.Intact ? 0 : Broken;
        });
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Entri terbaru / latest entries") { limit };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            foreach (var e in await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).Take(Math.Clamp(parse.GetValue(limit), 1, 10_000)).ToListAsync(cancellationToken))
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"#{e.Id}\t{e.At:yyyy-MM-dd HH:mm:ss}\t{e.Actor}\t{e.ActorRole}\t{e.Origin}\t{e.Action}\t{e.SubjectType}:{e.SubjectId}\t{e.Detail}"));
            }
            return 0;
        });
        audit.Subcommands.Add(verify);
        audit.Subcommands.Add(list);
        return audit;
    }
}
