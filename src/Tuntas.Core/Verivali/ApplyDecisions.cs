using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// Applies the musdes decisions (setuju) of the villages whose musdes is closed, through the one registry writer with
/// the source <c>musdes</c> and the version each family had at the visit:
/// <list type="bullet">
/// <item>the registry changed since the visit → that line is not applied (<c>konflik</c>) and nothing of it is written;</item>
/// <item>a line already applied is skipped: applying twice changes nothing, also two applies at once (a double click:
/// the second marks and counts no line the first applied);</item>
/// <item>each chunk of families is one transaction that also marks its lines, so a killed apply leaves every family
/// (and its line) either fully applied or untouched, and the next apply continues with the rest.</item>
/// </list>
/// tetap, perbaikan data: the proposed fields and the verification date; meninggal, pindah: the life events the visit
/// recorded per member (STATUS_HIDUP), with a new head if the head died; tidak layak, tidak ditemukan: a VERIFIKASI history line (the family leaves the
/// proposal, not the registry); usulan baru: the family is registered with its members (<see cref="RegistryWriter.NewFamily"/>,
/// one KELUARGA_BARU line, source musdes) — the village agreed it, so its programs and the regency's targeting see it
/// now — and it goes to the proposal for the ministry (DOMAIN §2.1: DTSEN takes it only after Kemensos determines it).
/// A NO_KK or NIK registered meanwhile (an import after the visit) makes that line a conflict, nothing of it written.
/// </summary>
public sealed class ApplyDecisions(TuntasDb db, RegistryWriter writer, TimeProvider clock)
{
    public sealed record Input(long PeriodId, string? KodeDesa, AccessScope Scope, string Actor);

    /// <param name="Registered">Of the applied lines, the usulan baru families now in the registry.</param>
    public sealed record Outcome(int Applied, int Conflicts, int Invalid, int Registered, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var closedVillages = db.VerivaliMusdes.Where(m => m.PeriodId == input.PeriodId && m.ClosedAt != null).Select(m => m.KodeDesa);
        var query = db.VerivaliLines.AsNoTracking().Where(input.Scope.VillageFilter<VerivaliLine>(l => l.KodeDesa))
            .Where(l => l.PeriodId == input.PeriodId && l.Status == VerivaliTerms.Decided && l.Decision == VerivaliTerms.Agree && l.AppliedAt == null
                && closedVillages.Contains(l.KodeDesa));
        if (input.KodeDesa is { Length: > 0 } village)
        {
            if (!await closedVillages.ContainsAsync(village, cancellationToken))
            {
                return new Outcome(0, 0, 0, 0, VerivaliProblems.Of("MUSDES_NOT_CLOSED"));
            }
            query = query.Where(l => l.KodeDesa == village);
        }
        var lines = await query.OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var byRef = new Dictionary<string, VerivaliLine>(StringComparer.Ordinal);
        var edits = new List<RegistryWriter.FamilyEdit>();
        foreach (var line in lines)
        {
            // One line per family and period (the worklist holds each family once); a proposed family has no id yet.
            var reference = "verivali:" + line.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            byRef[reference] = line;
            edits.Add(line.FamilyId is { } familyId
                ? new RegistryWriter.FamilyEdit(familyId, line.FamilyVersion, EditsOf(line), reference)
                : new RegistryWriter.FamilyEdit(0, null, NewFamilyEdits(line), reference));
        }
        int applied = 0, conflicts = 0, invalid = 0, registered = 0;
        await writer.RunAsync(new RegistryWriter.Input(edits, input.Actor, ChangeSource.Musdes, input.Scope, async (outcomes, chunkDb, ct) =>
        {
            foreach (var group in outcomes.GroupBy(o => o.Result switch
            {
                RegistryWriter.Result.Written or RegistryWriter.Result.Unchanged => VerivaliTerms.ResultApplied,
                RegistryWriter.Result.Stale => VerivaliTerms.ResultConflict,
                // A proposed family whose NO_KK or a NIK was registered since the visit: the registry changed under it.
                RegistryWriter.Result.Invalid when byRef[o.SourceRef!].FamilyId is null
                    && o.Problems.Any(p => p.Code is "NO_KK_TAKEN" or "NIK_OTHER_FAMILY") => VerivaliTerms.ResultConflict,
                _ => VerivaliTerms.ResultInvalid,
            }))
            {
                var ids = group.Select(o => byRef[o.SourceRef!].Id).ToList();
                var marked = await MarkAsync(chunkDb, ids, group.Key, now, ct);
                if (group.Key == VerivaliTerms.ResultApplied)
                {
                    // The proposed families now registered: their lines point at them (berita acara, proposal, progress).
                    foreach (var family in group.Where(o => byRef[o.SourceRef!].FamilyId is null))
                    {
                        var lineId = byRef[family.SourceRef!].Id;
                        await chunkDb.VerivaliLines.Where(l => l.Id == lineId).ExecuteUpdateAsync(u => u
                            .SetProperty(l => l.FamilyId, family.FamilyId).SetProperty(l => l.FamilyVersion, family.Version), ct);
                        registered++;
                    }
                }
                switch (group.Key)
                {
                    case VerivaliTerms.ResultApplied: applied += marked; break;
                    case VerivaliTerms.ResultConflict: conflicts += marked; break;
                    default: invalid += marked; break;
                }
            }
        }), cancellationToken);
        return new Outcome(applied, conflicts, invalid, registered, null);
    }

    /// <summary>Marks lines in a few set-based statements; a conflicting or refused line stays decided (not applied) with its
    /// result. Only lines not applied yet: of two applies at once (a double click), the second finds every family's version
    /// moved by the first and would have marked the first's applied lines "konflik" and counted them so. Returns the lines
    /// marked.</summary>
    private static async Task<int> MarkAsync(TuntasDb target, List<long> ids, string result, DateTime now, CancellationToken cancellationToken)
    {
        var marked = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            var pending = target.VerivaliLines.Where(l => chunk.Contains(l.Id) && l.AppliedAt == null);
            marked += result == VerivaliTerms.ResultApplied
                ? await pending.ExecuteUpdateAsync(u => u
                    .SetProperty(l => l.AppliedAt, now).SetProperty(l => l.ApplyResult, result).SetProperty(l => l.Status, VerivaliTerms.Applied), cancellationToken)
                : await pending.ExecuteUpdateAsync(u => u.SetProperty(l => l.ApplyResult, result), cancellationToken);
        }
        return marked;
    }

    /// <summary>The registry edits of an agreed usulan baru: the family (village, NO_KK, fields), its members, verified.</summary>
    public static List<RegistryWriter.Edit> NewFamilyEdits(VerivaliLine line)
    {
        var proposal = ProposedFamily.Read(line.Proposal) ?? new ProposedFamily(new Dictionary<string, string?>(), []);
        var edits = new List<RegistryWriter.Edit>
        {
            new RegistryWriter.NewFamily(proposal.Family.GetValueOrDefault("KODE_DESA") ?? line.KodeDesa, proposal.Family.GetValueOrDefault("NO_KK") ?? ""),
        };
        edits.AddRange(proposal.Family.Where(f => f.Key is not ("KODE_DESA" or "NO_KK") && f.Value is not null)
            .Select(f => new RegistryWriter.SetField(null, f.Key, f.Value)));
        edits.AddRange(proposal.Members.Select(m => new RegistryWriter.AddMember(m.Where(v => v.Value is not null).ToDictionary())));
        edits.Add(new RegistryWriter.MarkVerified(line.Outcome ?? VerivaliTerms.NewFamily));
        return edits;
    }

    /// <summary>The registry edits a decided line stands for.</summary>
    public static List<RegistryWriter.Edit> EditsOf(VerivaliLine line)
    {
        var changes = VisitChange.Parse(line.Changes);
        var edits = new List<RegistryWriter.Edit>();
        foreach (var change in changes)
        {
            if (change.Field.Equals(RegistryHistory.LifeStatusField, StringComparison.OrdinalIgnoreCase) && change.PersonId is { } pid)
            {
                edits.Add(new RegistryWriter.SetLifeStatus(pid, LifeStatus.Parse(change.Value) ?? 0, change.Date, null));
            }
            else
            {
                edits.Add(new RegistryWriter.SetField(change.PersonId, change.Field, change.Value));
            }
        }
        edits.Add(new RegistryWriter.MarkVerified(line.Outcome ?? VerivaliTerms.Unchanged));
        return edits;
    }
}
