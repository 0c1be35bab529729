using Microsoft.Extensions.Options;
using Tuntas.Attachments;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Verivali;

/// <summary>
/// A facilitator or relawan records the visit of a worklist line: the outcome, proposed field changes and life events,
/// a note. Every proposed value is checked with the import's rules and codes (<see cref="RegistryFields"/>), so the musdes
/// never decides on a value the registry would refuse. The family's version is kept: if the registry changes before the
/// decisions are applied, that line is not applied (conflict). Nothing is written to the registry here.
/// Optional photos (the house, the family's situation: JPEG or PNG by their bytes, each within
/// <see cref="AttachmentRules.MaxBytes"/>, at most <see cref="MaxPhotos"/> per line) are staged before the line is saved
/// and published after, as complaint evidence is (<see cref="AttachmentStore"/>), so none is half-stored.
/// </summary>
public sealed class RecordVisit(TuntasDb db, TimeProvider clock, AttachmentStore? store = null, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>Photos a line may carry in all: enough for the house, the kitchen and the family, small for village connections.</summary>
    public const int MaxPhotos = 5;

    public sealed record Input(long LineId, string Outcome, IReadOnlyList<VisitChange>? Changes, string? Note, AccessScope Scope, string Role, string Actor,
        IReadOnlyList<AttachmentRules.Upload>? Photos = null);

    public sealed record Outcome(VerivaliLine? Line, Problem? Problem, IReadOnlyList<RegistryProblem> FieldProblems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (line, period) = await VerivaliLines.FindAsync(db, input.LineId, input.Scope, input.Role, input.Actor, cancellationToken);
        if (line is null || period is null)
        {
            return new Outcome(null, VerivaliProblems.Of("LINE_NOT_FOUND"), []);
        }
        if (!period.IsOpen)
        {
            return new Outcome(line, VerivaliProblems.Of("PERIOD_CLOSED"), []);
        }
        if (input.Role == Roles.Relawan && line.AssignedTo != input.Actor)
        {
            return new Outcome(line, VerivaliProblems.Of("NOT_ASSIGNED"), []);
        }
        if (line.Status is not (VerivaliTerms.Open or VerivaliTerms.Visited))
        {
            return new Outcome(line, VerivaliProblems.Of("LINE_STATE", line.Status), []);
        }
        if (!VerivaliTerms.Outcomes.Contains(input.Outcome))
        {
            return new Outcome(line, VerivaliProblems.Of("OUTCOME"), []);
        }
        var changes = input.Changes ?? [];
        var memberIds = line.FamilyId is { } fid ? await db.Persons.Where(p => p.FamilyId == fid).Select(p => p.Id).ToListAsync(cancellationToken) : [];
        var problems = Validate(changes, memberIds, RegencyOptions.Of(regency).Today(clock));
        if (problems.Count > 0)
        {
            return new Outcome(line, null, problems);
        }
        var photos = input.Photos ?? [];
        var types = new List<AttachmentRules.DetectedType>();
        if (photos.Count > 0 && await db.VerivaliLinePhotos.CountAsync(p => p.LineId == line.Id, cancellationToken) + photos.Count > MaxPhotos)
        {
            return new Outcome(line, VerivaliProblems.Of("PHOTO_COUNT", MaxPhotos) with { Field = "photos" }, []);
        }
        foreach (var photo in photos)
        {
            var (type, problem) = AttachmentRules.Check(photo, "photos");
            if (problem is not null || type == AttachmentRules.Pdf)
            {
                return new Outcome(line, problem ?? VerivaliProblems.Of("PHOTO_TYPE") with { Field = "photos" }, []);
            }
            types.Add(type!);
        }
        var staged = new List<AttachmentStore.Staged>();
        if (photos.Count > 0)
        {
            var photoStore = store ?? throw new InvalidOperationException("RecordVisit needs the attachment store to keep photos.");
            for (var i = 0; i < photos.Count; i++)
            {
                staged.Add(await photoStore.StageAsync(photos[i].Content, types[i], cancellationToken));
            }
        }
        line.Outcome = input.Outcome;
        line.Changes = changes.Count == 0 ? null : JsonSerializer.Serialize(changes);
        line.Note = input.Note?.Trim() is { Length: > 0 } note ? note[..Math.Min(note.Length, 2000)] : null;
        line.VisitedBy = input.Actor;
        line.VisitedAt = clock.GetUtcNow().UtcDateTime;
        line.FamilyVersion = line.FamilyId is { } id ? await db.Families.Where(f => f.Id == id).Select(f => f.Version).SingleAsync(cancellationToken) : null;
        line.Status = VerivaliTerms.Visited;
        for (var i = 0; i < staged.Count; i++)
        {
            db.VerivaliLinePhotos.Add(new VerivaliLinePhoto
            {
                LineId = line.Id,
                FileName = AttachmentRules.DownloadName(photos[i].FileName, staged[i].Type),
                StoredName = staged[i].StoredName,
                ContentType = staged[i].Type.ContentType,
                Size = staged[i].Size,
                Sha256 = staged[i].Sha256,
                UploadedBy = input.Actor,
                UploadedAt = line.VisitedAt.Value,
            });
        }
        await AttachmentStore.CommitAsync(store, staged, async () =>
        {
            await db.SaveChangesAsync(cancellationToken);
        });
        return new Outcome(line, null, []);
    }

    /// <summary>The import's codes for every proposed value; a life event names a member and hidup/meninggal/pindah/hilang.</summary>
    public static List<RegistryProblem> Validate(IReadOnlyList<VisitChange> changes, IReadOnlyList<long> memberIds, DateOnly today)
    {
        var context = new RegistryFields.Context { Today = today };
        var problems = new List<RegistryProblem>();
        foreach (var change in changes)
        {
            var field = change.Field.Trim().ToUpperInvariant();
            if (change.PersonId is { } pid && !memberIds.Contains(pid))
            {
                problems.Add(RegistryProblem.Of(pid, field, null, "PERSON_NOT_IN_FAMILY"));
                continue;
            }
            if (field == RegistryHistory.LifeStatusField)
            {
                if (change.PersonId is null || LifeStatus.Parse(change.Value) is null)
                {
                    problems.Add(RegistryProblem.Of(change.PersonId, field, change.Value, "OUT_OF_RANGE", "hidup, meninggal, pindah, hilang"));
                }
                else if (change.Date > today)
                {
                    problems.Add(RegistryProblem.Of(change.PersonId, "TANGGAL_STATUS", null, "DATE_FUTURE"));
                }
                continue;
            }
            var rule = change.PersonId is null
                ? (RegistryFields.IsEditableFamilyField(field) ? RegistryFields.FamilyRule(field) : null)
                : (RegistryFields.IsEditablePersonField(field) ? RegistryFields.PersonRule(field) : null);
            if (rule is null)
            {
                problems.Add(RegistryProblem.Of(change.PersonId, field, null, "FIELD_NOT_EDITABLE", field));
                continue;
            }
            var parsed = RegistryFields.Parse(rule, change.Value, context);
            if (parsed.Error is { } error)
            {
                problems.Add(RegistryProblem.Of(change.PersonId, field, rule.Kind == RegistryFields.Kind.Nik ? null : change.Value, error, parsed.Arg));
            }
        }
        return problems;
    }
}
