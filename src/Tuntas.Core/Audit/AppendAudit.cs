using System.Data.Common;

namespace Tuntas.Audit;

/// <summary>
/// Appends entries to the audit trail, each chained to the previous one by an HMAC under the <see cref="AuditKey"/>.
/// Appends are serialized (SQLite's write lock; a PostgreSQL advisory lock) so two writers — the web app and the CLI —
/// never chain to the same predecessor. A batch is one transaction: one lock, one read of the head, one multi-row
/// insert, one commit, however many entries (<see cref="AuditWriter"/> gathers the requests of a moment into one batch).
/// The entry's time is truncated to microseconds so its hash can be recomputed from what either database stores.
/// </summary>
public sealed class AppendAudit(TuntasDatabase database, TimeProvider clock, AuditKey key)
{
    /// <summary>Rows per INSERT statement: 11 parameters each, under SQLite's 999-parameter limit of older builds.</summary>
    private const int RowsPerStatement = 90;

    public sealed record Input(string Actor, string Action, string? SubjectType = null, string? SubjectId = null, string? Detail = null,
        string? ActorRole = null, string? Origin = null, string? RequestId = null);

    public async Task<AuditEntry> RunAsync(Input input, CancellationToken cancellationToken) =>
        (await RunBatchAsync([input], cancellationToken))[0];

    /// <summary>Appends the inputs in order, in one transaction: either all of them are in the chain or none.</summary>
    public async Task<IReadOnlyList<AuditEntry>> RunBatchAsync(IReadOnlyList<Input> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, LockKey.AuditChain, cancellationToken);
        var (lastId, lastHash) = await LastAsync(connection, transaction, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var at = new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
        var entries = new List<AuditEntry>(inputs.Count);
        foreach (var input in inputs)
        {
            var entry = new AuditEntry
            {
                Id = ++lastId,
                At = at,
                Actor = input.Actor,
                ActorRole = input.ActorRole,
                Origin = input.Origin,
                Action = input.Action,
                SubjectType = input.SubjectType,
                SubjectId = input.SubjectId,
                Detail = input.Detail,
                PrevHash = lastHash,
                Hash = "",
                KeyId = key.KeyId,
            };
            entry.Hash = entry.ComputeHash(key);
            lastHash = entry.Hash;
            entries.Add(entry);
        }
        foreach (var chunk in entries.Chunk(RowsPerStatement))
        {
            await InsertAsync(connection, transaction, chunk, cancellationToken);
        }
        // The records the requests' changes left in their own transactions (PendingChange) go as their entries come.
        foreach (var chunk in inputs.Where(i => i.RequestId is not null).Select(i => i.RequestId!).Chunk(RowsPerStatement * 10))
        {
            await SettleAsync(connection, transaction, chunk, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return entries;
    }

    private async Task InsertAsync(DbConnection connection, DbTransaction transaction, AuditEntry[] rows, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO audit_log (id, at, actor, actor_role, origin, action, subject_type, subject_id, detail, prev_hash, hash, key_id) VALUES ");
        for (var i = 0; i < rows.Length; i++)
        {
            var e = rows[i];
            sql.Append(CultureInfo.InvariantCulture,
                $"{(i > 0 ? "," : "")}(@id{i}, @at{i}, @actor{i}, @role{i}, @origin{i}, @action{i}, @stype{i}, @sid{i}, @detail{i}, @prev{i}, @hash{i}, @key{i})");
            insert.AddParameter($"@id{i}", e.Id);
            insert.AddParameter($"@at{i}", database.TimeParameter(e.At));
            insert.AddParameter($"@actor{i}", e.Actor);
            insert.AddParameter($"@role{i}", e.ActorRole);
            insert.AddParameter($"@origin{i}", e.Origin);
            insert.AddParameter($"@action{i}", e.Action);
            insert.AddParameter($"@stype{i}", e.SubjectType);
            insert.AddParameter($"@sid{i}", e.SubjectId);
            insert.AddParameter($"@detail{i}", e.Detail);
            insert.AddParameter($"@prev{i}", e.PrevHash);
            insert.AddParameter($"@hash{i}", e.Hash);
            insert.AddParameter($"@key{i}", e.KeyId);
        }
        insert.CommandText = sql.ToString();
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task SettleAsync(DbConnection connection, DbTransaction transaction, string[] requestIds, CancellationToken cancellationToken)
    {
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        var names = new string[requestIds.Length];
        for (var i = 0; i < requestIds.Length; i++)
        {
            names[i] = "@r" + i.ToString(CultureInfo.InvariantCulture);
            delete.AddParameter(names[i], requestIds[i]);
        }
        delete.CommandText = $"DELETE FROM audit_outbox WHERE request_id IN ({string.Join(",", names)})";
        await delete.ExecuteNonQueryAsync(cancellationToken);
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
