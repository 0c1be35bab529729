using System.Data.Common;
using System.Globalization;
using Tuntas.Data;

namespace Tuntas.Audit;

/// <summary>
/// Appends entries to the audit trail, each chained to the previous one. Appends are serialized (SQLite's write lock;
/// a PostgreSQL advisory lock) so two requests never chain to the same predecessor. The entry's time is truncated to
/// microseconds so its hash can be recomputed from what either database stores.
/// </summary>
public sealed class AppendAudit(TuntasDatabase database, TimeProvider clock)
{
    private const long AuditLockKey = 7886003;

    public sealed record Input(string Actor, string Action, string? SubjectType = null, string? SubjectId = null, string? Detail = null,
        string? ActorRole = null, string? Origin = null);

    public async Task<AuditEntry> RunAsync(Input input, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = database.IsSqlite
            ? ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        if (!database.IsSqlite)
        {
            await using var lockCommand = connection.CreateCommand();
            lockCommand.Transaction = transaction;
            lockCommand.CommandText = $"SELECT pg_advisory_xact_lock({AuditLockKey})";
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        var (lastId, lastHash) = await LastAsync(connection, transaction, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var entry = new AuditEntry
        {
            Id = lastId + 1,
            At = new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc),
            Actor = input.Actor,
            ActorRole = input.ActorRole,
            Origin = input.Origin,
            Action = input.Action,
            SubjectType = input.SubjectType,
            SubjectId = input.SubjectId,
            Detail = input.Detail,
            PrevHash = lastHash,
            Hash = "",
        };
        entry.Hash = entry.ComputeHash();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO audit_log (id, at, actor, actor_role, origin, action, subject_type, subject_id, detail, prev_hash, hash)
                VALUES (@id, @at, @actor, @role, @origin, @action, @stype, @sid, @detail, @prev, @hash)
                """;
            insert.AddParameter("@id", entry.Id);
            insert.AddParameter("@at", database.IsSqlite ? entry.At.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : entry.At);
            insert.AddParameter("@actor", entry.Actor);
            insert.AddParameter("@role", entry.ActorRole);
            insert.AddParameter("@origin", entry.Origin);
            insert.AddParameter("@action", entry.Action);
            insert.AddParameter("@stype", entry.SubjectType);
            insert.AddParameter("@sid", entry.SubjectId);
            insert.AddParameter("@detail", entry.Detail);
            insert.AddParameter("@prev", entry.PrevHash);
            insert.AddParameter("@hash", entry.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    private static async Task<(long Id, string Hash)> LastAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditEntry.Genesis);
    }
}
