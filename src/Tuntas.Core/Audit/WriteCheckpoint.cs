using Microsoft.Extensions.Configuration;

namespace Tuntas.Audit;

/// <summary>
/// Takes a signed checkpoint of the audit chain's head: stored in the database and appended to the checkpoint file
/// outside it (<c>Audit:CheckpointFile</c>; by default beside the SQLite file, or <c>App_Data/audit-checkpoints-DB.log</c>
/// for a PostgreSQL database DB; in production on other storage, or forwarded to the province/Inspektorat). Taken daily by the web app and on demand with <c>tuntas audit checkpoint</c>.
/// A checkpoint is what <see cref="VerifyAudit"/> holds the chain to: deleting the newest entries below it, or rebuilding
/// the chain, no longer verifies. Nothing is taken when the head has not moved since the last checkpoint.
/// </summary>
public sealed class WriteCheckpoint(TuntasDb db, AuditKey key, TimeProvider clock, string? checkpointFile)
{
    public sealed record Outcome(AuditCheckpoint? Checkpoint, bool Unchanged);

    /// <summary>One file per database: checkpoints of one database's chain mean nothing for another's.</summary>
    public static string FileFromConfiguration(IConfiguration configuration, string contentRoot, TuntasDatabase database)
    {
        if (configuration["Audit:CheckpointFile"] is { Length: > 0 } configured)
        {
            return configured;
        }
        return database.SqliteFile is { } file
            ? file + ".audit-checkpoints.log"
            : Path.Combine(TuntasDatabase.DataRoot(configuration, contentRoot), "App_Data", $"audit-checkpoints-{database.Name}.log");
    }

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var head = await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return new Outcome(null, true);
        }
        var last = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.EntryId).FirstOrDefaultAsync(cancellationToken);
        if (last is not null && last.EntryId == head.Id && last.EntryHash == head.Hash)
        {
            return new Outcome(last, true);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var checkpoint = new AuditCheckpoint
        {
            At = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            EntryId = head.Id,
            EntryHash = head.Hash,
            KeyId = key.KeyId,
            Signature = "",
        };
        checkpoint.Signature = key.SignCheckpoint(checkpoint.Canonical());
        // The file first: a checkpoint that reached the outside is the one that counts if the database is rolled back.
        if (checkpointFile is { Length: > 0 })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(checkpointFile))!);
            await File.AppendAllTextAsync(checkpointFile, checkpoint.ToLine() + "\n", cancellationToken);
        }
        db.AuditCheckpoints.Add(checkpoint);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(checkpoint, false);
    }

    /// <summary>The checkpoints of the file, skipping lines that are not checkpoints (a missing file has none).</summary>
    public static IEnumerable<AuditCheckpoint> ReadFile(string? path) =>
        path is { Length: > 0 } && File.Exists(path)
            ? File.ReadLines(path).Select(AuditCheckpoint.FromLine).OfType<AuditCheckpoint>().ToList()
            : [];
}
