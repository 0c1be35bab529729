using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Complaints;

/// <summary>
/// Applies an accepted change request's proposed fields to the registry with one action (docs/registry.md): first the
/// diff (each field, current → proposed, on the request's page and <c>GET /api/change-requests/{id}/diff</c>) with the
/// family's version; then the apply, through <see cref="RegistryWriter"/> with the source <c>usulan</c> and that version
/// (the family changed since the diff was shown → refused as stale). Applied once: a second apply changes nothing.
/// </summary>
public sealed class ApplyChangeRequest(TuntasDb db, RegistryWriter writer, TimeProvider clock)
{
    public sealed record DiffLine(long? PersonId, string? PersonName, string Field, string? Current, string? Proposed);

    public sealed record Preview(ChangeRequest Request, long FamilyVersion, IReadOnlyList<DiffLine> Lines)
    {
        public bool MayApply => Request.Status == ComplaintTerms.ChangeAccepted && Request.AppliedAt is null && Lines.Count > 0;
    }

    public enum Result
    {
        Applied,
        AlreadyApplied,
        NotAccepted,
        NothingToApply,
        Stale,
        Invalid,
        NotFound,
    }

    public sealed record Outcome(Result Result, RegistryWriter.FamilyOutcome? Written);

    public static IReadOnlyList<ProposedChange> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ProposedChange>>(json) ?? [];

    /// <summary>The first proposed value the registry would refuse (the import's codes), checked when it is proposed.</summary>
    public static RegistryProblem? Validate(IReadOnlyList<ProposedChange> changes, TimeProvider clock, RegencyOptions? regency = null)
    {
        var context = new RegistryFields.Context { Today = (regency ?? RegencyOptions.Default).Today(clock) };
        foreach (var change in changes)
        {
            var field = change.Field.Trim().ToUpperInvariant();
            var rule = change.PersonId is null
                ? (RegistryFields.IsEditableFamilyField(field) ? RegistryFields.FamilyRule(field) : null)
                : (RegistryFields.IsEditablePersonField(field) ? RegistryFields.PersonRule(field) : null);
            if (rule is null)
            {
                return RegistryProblem.Of(change.PersonId, field, null, "FIELD_NOT_EDITABLE", field);
            }
            if (RegistryFields.Parse(rule, change.Value, context).Error is { } error)
            {
                return RegistryProblem.Of(change.PersonId, field, change.Value, error, RegistryFields.Parse(rule, change.Value, context).Arg);
            }
        }
        return null;
    }

    public async Task<Preview?> PreviewAsync(long requestId, AccessScope scope, CancellationToken cancellationToken)
    {
        var request = await db.ChangeRequests.AsNoTracking().Where(scope.VillageFilter<ChangeRequest>(r => r.KodeDesa))
            .SingleOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request?.FamilyId is not { } familyId)
        {
            return request is null ? null : new Preview(request, 0, []);
        }
        var family = await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.Id == familyId, cancellationToken);
        if (family is null)
        {
            return new Preview(request, 0, []);
        }
        var members = await db.Persons.AsNoTracking().Where(p => p.FamilyId == familyId).ToDictionaryAsync(p => p.Id, cancellationToken);
        var lines = new List<DiffLine>();
        foreach (var change in Parse(request.ProposedChanges))
        {
            var field = change.Field.Trim().ToUpperInvariant();
            object? current = change.PersonId is { } pid
                ? members.TryGetValue(pid, out var person) ? RegistryFields.PersonColumn(field)?.Get(person) : null
                : RegistryFields.FamilyRules.Any(r => r.Column == field) ? RegistryFields.FamilyColumn(field).Get(family) : null;
            lines.Add(new DiffLine(change.PersonId, change.PersonId is { } id && members.TryGetValue(id, out var m) ? m.Nama : null,
                field, RegistryColumns.Canonical(current), change.Value));
        }
        return new Preview(request, family.Version, lines);
    }

    public async Task<Outcome> RunAsync(long requestId, long version, string actor, AccessScope scope, CancellationToken cancellationToken)
    {
        var preview = await PreviewAsync(requestId, scope, cancellationToken);
        if (preview is null)
        {
            return new Outcome(Result.NotFound, null);
        }
        var request = preview.Request;
        if (request.AppliedAt is not null)
        {
            return new Outcome(Result.AlreadyApplied, null);
        }
        if (request.Status != ComplaintTerms.ChangeAccepted)
        {
            return new Outcome(Result.NotAccepted, null);
        }
        if (preview.Lines.Count == 0 || request.FamilyId is not { } familyId)
        {
            return new Outcome(Result.NothingToApply, null);
        }
        var edits = Parse(request.ProposedChanges).Select(c => (RegistryWriter.Edit)new RegistryWriter.SetField(c.PersonId, c.Field, c.Value)).ToList();
        var written = await writer.WriteAsync(new RegistryWriter.FamilyEdit(familyId, version, edits, "usulan:" + request.Id), actor, ChangeSource.ChangeRequest, scope, cancellationToken);
        switch (written.Result)
        {
            case RegistryWriter.Result.Written or RegistryWriter.Result.Unchanged:
                // Marked applied only if still unapplied: two simultaneous applies record one (the second writes nothing new).
                var now = clock.GetUtcNow().UtcDateTime;
                await db.ChangeRequests.Where(r => r.Id == request.Id && r.AppliedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.AppliedAt, now).SetProperty(r => r.AppliedBy, actor), cancellationToken);
                return new Outcome(Result.Applied, written);
            case RegistryWriter.Result.Stale:
                return new Outcome(Result.Stale, written);
            case RegistryWriter.Result.NotFound:
                return new Outcome(Result.NotFound, written);
            default:
                return new Outcome(Result.Invalid, written);
        }
    }
}
