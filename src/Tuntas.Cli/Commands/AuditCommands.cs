using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas audit verify [--head HASH]</c> (exit 3 when the chain or a checkpoint is broken), <c>tuntas audit checkpoint</c>
/// (chains the changes a killed web process left unchained, then a signed checkpoint of the head, into the database and
/// the checkpoint file) and <c>tuntas audit list</c>.
/// </summary>
public static class AuditCommands
{
    /// <summary>Exit code of a broken chain: distinct from bad input (2) and failures (1), for scripts and cron.</summary>
    public const int Broken = 3;

    public static Command Create(CliContext context)
    {
        var audit = new Command("audit", CliTexts.Both("Audit.Command.Audit"));
        var head = new Option<string?>("--head") { Description = CliTexts.Both("Option.Head") };
        var verify = new Command("verify", CliTexts.Both("Audit.Command.Verify")) { head };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new VerifyAudit(db, context.AuditKey, context.AuditCheckpointFile).RunAsync(new VerifyAudit.Input(parse.GetValue(head)), cancellationToken);
            foreach (var problem in outcome.Problems)
            {
                context.Error.WriteLine($"#{problem.Id} [{problem.Kind}] {problem.Message} / {problem.MessageEn}");
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(outcome.Intact ? CliTexts.Both("Audit.Intact") : CliTexts.Both("Audit.Broken"))}: {CliTexts.Both("Audit.Counts", outcome.Entries, outcome.Checkpoints)}; {CliTexts.Both("Audit.Head")} #{outcome.HeadId} {outcome.HeadHash}"));
            return outcome.Intact ? 0 : Broken;
        });
        var checkpoint = new Command("checkpoint", CliTexts.Both("Audit.Command.Checkpoint"));
        checkpoint.SetAction(async (_, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            // Changes a killed web process committed without their entry are chained first, so the checkpoint covers them.
            var recovered = await new RecoverPendingChanges(db, database, context.AuditKey, context.Clock)
                .RunAsync(new(RecoverPendingChanges.Grace), cancellationToken);
            if (recovered.Recovered > 0)
            {
                context.Error.WriteLine(CliTexts.Both("Audit.Recovered", recovered.Recovered));
            }
            var outcome = await new WriteCheckpoint(db, context.AuditKey, context.Clock, context.AuditCheckpointFile).RunAsync(cancellationToken);
            if (outcome.Checkpoint is not { } taken)
            {
                context.Error.WriteLine(CliTexts.Both("Audit.Empty"));
                return 0;
            }
            context.Error.WriteLine(outcome.Unchanged ? CliTexts.Both("Audit.HeadUnchanged")
                : CliTexts.Both("Audit.CheckpointRecorded", context.AuditCheckpointFile));
            context.Out.WriteLine(taken.ToLine());
            return 0;
        });
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var list = new Command("list", CliTexts.Both("Audit.Command.List")) { limit };
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
        audit.Subcommands.Add(checkpoint);
        audit.Subcommands.Add(list);
        return audit;
    }
}
