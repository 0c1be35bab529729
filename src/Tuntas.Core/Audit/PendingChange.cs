using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Audit;

/// <summary>
/// The record of a change that a web request made, written in the same transaction as the change (table
/// <c>audit_outbox</c>). The request's chained audit entry takes its place before the answer leaves
/// (<see cref="AppendAudit"/> deletes it in the entry's own transaction); if the process dies between the two commits,
/// <see cref="RecoverPendingChanges"/> chains it later. So no committed change is ever without its audit entry, while
/// the chain's lock is still taken once per batch of requests, not once per change (UU PDP 27/2022 art. 31: a record of
/// processing; OWASP ASVS 7.1.3).
/// </summary>
public sealed class PendingChange
{
    public long Id { get; set; }
    public required string RequestId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public string? ActorRole { get; set; }
    public string? Origin { get; set; }
    public required string Action { get; set; }
    public string? SubjectType { get; set; }
    public string? SubjectId { get; set; }
    public string? Detail { get; set; }

    public AppendAudit.Input ToInput(string? detail = null) =>
        new(Actor, Action, SubjectType, SubjectId, detail ?? Detail, ActorRole, Origin, RequestId);
}

internal sealed class PendingChangeConfiguration : IEntityTypeConfiguration<PendingChange>
{
    public void Configure(EntityTypeBuilder<PendingChange> builder) => builder.ToTable("audit_outbox");
}

/// <summary>
/// The change the current web request may make, as the audit will name it: set by the web app's audit middleware for
/// every request that can change something, and read by <see cref="PendingChangeInterceptor"/> when a transaction of
/// that request commits. Flows with the request's async context, so use cases need not pass it along.
/// </summary>
public sealed class RequestChange
{
    private readonly Func<AppendAudit.Input> _entry;

    /// <summary>The entry is read when the change commits, not when the request begins: an endpoint that signs its caller
    /// in itself (a device token, a DCI bearer token) has named the actor by then.</summary>
    public RequestChange(Func<AppendAudit.Input> entry) => _entry = entry;

    public RequestChange(AppendAudit.Input entry) : this(() => entry)
    {
    }

    private static readonly AsyncLocal<RequestChange?> _current = new();

    public static RequestChange? Current => _current.Value;

    /// <summary>Names the request's writes until the returned scope is disposed.</summary>
    public static IDisposable Begin(RequestChange change)
    {
        var previous = _current.Value;
        _current.Value = change;
        return new Restore(previous);
    }

    public string RequestId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The entry as the request names it now (who, from where, which route).</summary>
    public AppendAudit.Input Entry => _entry();

    /// <summary>True once a transaction of this request committed its <see cref="PendingChange"/>.</summary>
    public bool Recorded => Volatile.Read(ref _recorded) == 1;

    private int _recorded;

    /// <summary>Claims the right to write the record; false when another transaction of the request already has.</summary>
    internal bool TryClaim() => Interlocked.CompareExchange(ref _recorded, 1, 0) == 0;

    internal void Release() => Volatile.Write(ref _recorded, 0);

    internal PendingChange ToRow(DateTime at)
    {
        var entry = Entry;
        return new()
        {
            RequestId = RequestId,
            At = at,
            Actor = entry.Actor,
            ActorRole = entry.ActorRole,
            Origin = entry.Origin,
            Action = entry.Action,
            SubjectType = entry.SubjectType,
            SubjectId = entry.SubjectId,
            Detail = entry.Detail,
        };
    }

    private sealed class Restore(RequestChange? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }
}
