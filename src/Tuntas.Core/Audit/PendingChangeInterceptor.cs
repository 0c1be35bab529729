using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tuntas.Audit;

/// <summary>
/// Writes the current request's <see cref="PendingChange"/> into the transaction that commits its change, whatever use
/// case made it: an explicit transaction gets the row just before its commit; a lone <c>SaveChanges</c> (which EF may run
/// without a transaction of its own) gets it as one more row of the same save. Outside a web request that can change
/// something (<see cref="RequestChange.Current"/> is null: the CLI, background jobs, reads) it does nothing.
/// </summary>
public sealed class PendingChangeInterceptor : SaveChangesInterceptor
{
    public static readonly PendingChangeInterceptor Instance = new();

    /// <summary>The row a save added, so a failed save can take it back.</summary>
    private static readonly ConditionalWeakTable<DbContext, PendingChange> _added = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Add(eventData.Context);
        return result;
    }

    private static void Add(DbContext? context)
    {
        // In an explicit transaction the commit writes the row (TransactionInterceptor), once for all its saves.
        if (context is null || context.Database.CurrentTransaction is not null || RequestChange.Current is not { } change
            || !context.ChangeTracker.HasChanges() || !change.TryClaim())
        {
            return;
        }
        var row = change.ToRow(DateTime.UtcNow);
        context.Add(row);
        _added.AddOrUpdate(context, row);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TakeBack(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => TakeBack(eventData.Context);

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _added.TryGetValue(context, out var row))
        {
            // Saved: the row is the database's now; the context need not track it for the rest of its life.
            context.Entry(row).State = EntityState.Detached;
            _added.Remove(context);
        }
        return ValueTask.FromResult(result);
    }

    private static void TakeBack(DbContext? context)
    {
        if (context is not null && _added.TryGetValue(context, out var row))
        {
            context.Entry(row).State = EntityState.Detached;
            _added.Remove(context);
            RequestChange.Current?.Release();
        }
    }

    /// <summary>The explicit-transaction half: the row goes in just before the commit, inside the transaction.</summary>
    public sealed class TransactionInterceptor : DbTransactionInterceptor
    {
        public static readonly TransactionInterceptor Instance = new();

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (RequestChange.Current is { } change && eventData.Context is not null && !change.Recorded)
            {
                await PendingChanges.WriteAsync(transaction, change, cancellationToken);
            }
            return result;
        }

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            if (RequestChange.Current is { } change && eventData.Context is not null && !change.Recorded)
            {
                PendingChanges.WriteAsync(transaction, change, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
            return result;
        }

        public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => RequestChange.Current?.Release();

        public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            RequestChange.Current?.Release();
            return Task.CompletedTask;
        }
    }
}

/// <summary>The <see cref="PendingChange"/> row written on a transaction that bypasses EF (the bulk paths).</summary>
public static class PendingChanges
{
    /// <summary>
    /// Writes the current request's record into <paramref name="transaction"/> unless one of its transactions already
    /// has. Bulk use cases that commit on their own ADO.NET connection call this just before their commit.
    /// </summary>
    public static ValueTask WriteAsync(DbTransaction transaction, CancellationToken cancellationToken) =>
        RequestChange.Current is { } change ? WriteAsync(transaction, change, cancellationToken) : ValueTask.CompletedTask;

    internal static async ValueTask WriteAsync(DbTransaction transaction, RequestChange change, CancellationToken cancellationToken)
    {
        if (!change.TryClaim())
        {
            return;
        }
        var row = change.ToRow(DateTime.UtcNow);
        await using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit_outbox (request_id, at, actor, actor_role, origin, action, subject_type, subject_id, detail)
            VALUES (@request, @at, @actor, @role, @origin, @action, @stype, @sid, @detail)
            """;
        insert.AddParameter("@request", row.RequestId);
        insert.AddParameter("@at", SqlDialect.Of(transaction.Connection!).Time(row.At));
        insert.AddParameter("@actor", row.Actor);
        insert.AddParameter("@role", row.ActorRole);
        insert.AddParameter("@origin", row.Origin);
        insert.AddParameter("@action", row.Action);
        insert.AddParameter("@stype", row.SubjectType);
        insert.AddParameter("@sid", row.SubjectId);
        insert.AddParameter("@detail", row.Detail);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            change.Release();
            throw;
        }
    }
}
