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
        if (await VerivaliLines.MusdesClosedAsync(db, period.Id, line.KodeDesa, cancellationToken))
        {
            return new Outcome(line, VerivaliProblems.Of("MUSDES_DONE"), []);
        }
        if (input.Role == Roles.Relawan && line.AssignedTo != input.Actor)
        {
            return new Outcome(line, VerivaliProblems.Of("NOT_ASSIGNED"), []);
        }
        if (line.Status is not (VerivaliTerms.Open or VerivaliTerms.Visited))
        {
            return new Outcome(line, VerivaliProblems.Of("LINE_STATE", line.Status), []);
        }
        if (!VerivaliTerms.Outcomes.Contains(input.Outcome) || (input.Outcome == VerivaliTerms.NewFamily && line.FamilyId is not null))
        {
            return new Outcome(line, VerivaliProblems.Of("OUTCOME"), []);
        }
        var changes = input.Changes ?? [];
        // "meninggal" and "pindah" are what happened to members: the berita acara and the proposal read them from the
        // life events, and a visit without one would go up as a removal nobody recorded.
        if (input.Outcome is VerivaliTerms.Died or VerivaliTerms.Moved
            && !changes.Any(c => c.Field.Trim().Equals(RegistryHistory.LifeStatusField, StringComparison.OrdinalIgnoreCase)
                && LifeStatus.Parse(c.Value) == LifeStatus.Parse(input.Outcome)))
        {
            return new Outcome(line, VerivaliProblems.Of("OUTCOME_EVENT", input.Outcome), []);
        }
        var members = line.FamilyId is { } fid
            ? await db.Persons.Where(p => p.FamilyId == fid).Select(p => new Member(p.Id, p.HubunganKk, p.StatusHidup)).ToListAsync(cancellationToken)
            : [];
        var problems = Validate(changes, [.. members.Select(m => m.Id)], RegencyOptions.Of(regency).Today(clock));
        if (problems.Count == 0 && HeadAfter(changes, members) is { } head)
        {
            problems.Add(head);
        }
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

    private sealed record Member(long Id, int HubunganKk, int StatusHidup);

    /// <summary>
    /// The registry keeps exactly one living head while anyone lives in the family (<see cref="RegistryWriter"/>). A visit
    /// that records the head as died or moved without naming a new one among those still living (HUBUNGAN_KK = 1), or that
    /// names two, was agreed by the musdes and then refused when applied, without a word on the berita acara. Checked
    /// here, when the visit can still be corrected.
    /// </summary>
    private static RegistryProblem? HeadAfter(IReadOnlyList<VisitChange> changes, List<Member> members)
    {
        if (members.Count == 0)
        {
            return null;
        }
        bool Living(Member m) => changes.LastOrDefault(c => c.PersonId == m.Id && c.Field.Trim().Equals(RegistryHistory.LifeStatusField, StringComparison.OrdinalIgnoreCase))
            is { } status ? LifeStatus.Parse(status.Value) == LifeStatus.Hidup : m.StatusHidup == LifeStatus.Hidup;
        int Relation(Member m) => changes.LastOrDefault(c => c.PersonId == m.Id && c.Field.Trim().Equals("HUBUNGAN_KK", StringComparison.OrdinalIgnoreCase))
            is { } relation && int.TryParse(relation.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : m.HubunganKk;
        var living = members.Where(Living).ToList();
        var heads = living.Count(m => Relation(m) == 1);
        // Only what the visit itself changes: a family that had no living head before it (an import's HEAD_NOT_LIVING,
        // waiting for Dukcapil's new KK) is not refused for a visit that leaves that as it was.
        var headsBefore = members.Count(m => m.StatusHidup == LifeStatus.Hidup && m.HubunganKk == 1);
        if (living.Count == 0 || heads == 1 || heads == headsBefore)
        {
            return null;
        }
        return heads == 0
            ? new RegistryProblem(null, "HUBUNGAN_KK", null, "NEW_HEAD_REQUIRED",
                "Kepala keluarga tidak lagi tinggal di keluarga ini: tunjuk kepala keluarga baru di antara anggota yang masih tinggal (HUBUNGAN_KK = 1).",
                "The head of family no longer lives in this family: name the new head among the members still living here (HUBUNGAN_KK = 1).")
            : new RegistryProblem(null, "HUBUNGAN_KK", "1", "NEW_HEAD_TWO",
                "Lebih dari satu anggota yang masih tinggal menjadi kepala keluarga; hanya satu.",
                "More than one member still living here would be the head of family; only one may be.");
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
                else if (change.Date is null && LifeStatus.Parse(change.Value) != LifeStatus.Hidup)
                {
                    // The registry keeps the day of a death or a move (the form asks for it); without it the apply dated
                    // the death the day the musdes decisions were applied.
                    problems.Add(RegistryProblem.Of(change.PersonId, "TANGGAL_STATUS", null, "REQUIRED"));
                }
                continue;
            }
            var rule = change.PersonId is null
                ? (VisitValues.FamilyFields.Contains(field) ? RegistryFields.FamilyRule(field) : null)
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
