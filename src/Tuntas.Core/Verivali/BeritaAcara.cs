using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// The berita acara (minutes) of a village's musdes: the reviewed and decided lines by name — proposed additions,
/// removals and changes — with the head of the family, masked NO_KK, RT/RW, the visit's outcome and proposed changes
/// and the decision so far; the page prints it with attendance and signature blanks. One query for the lines and their
/// heads (a village of 2,000 lines reads in milliseconds: docs/benchmarks.md).
/// </summary>
public sealed class BeritaAcara(TuntasDb db)
{
    public sealed record Row(long LineId, long? FamilyId, string NoKkMasked, string? Head, string? Rt, string? Rw, string Reasons, string? Outcome,
        string Kind, string? Changes, string? Note, string? Decision, string? ApplyResult, IReadOnlyList<LinePhotos.Photo> Photos,
        string ChangesDescribed = "");

    public sealed record Outcome(VerivaliPeriod Period, string KodeDesa, string? VillageName, VerivaliMusdes? Musdes, IReadOnlyList<Row> Rows)
    {
        public int Undecided => Rows.Count(r => r.Decision is null);
    }

    public async Task<Outcome?> RunAsync(long periodId, string kodeDesa, AccessScope scope, CancellationToken cancellationToken)
    {
        var period = await db.VerivaliPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.Id == periodId, cancellationToken);
        if (period is null || !scope.CoversVillage(kodeDesa))
        {
            return null;
        }
        var lines = db.VerivaliLines.AsNoTracking()
            .Where(l => l.PeriodId == periodId && l.KodeDesa == kodeDesa
                && (l.Status == VerivaliTerms.Reviewed || l.Status == VerivaliTerms.Decided || l.Status == VerivaliTerms.Applied));
        var rows = await lines
            .OrderBy(l => l.Id)
            .Select(l => new
            {
                l.Id,
                l.FamilyId,
                NoKk = db.Families.Where(f => f.Id == l.FamilyId).Select(f => f.NoKk).FirstOrDefault(),
                Rt = db.Families.Where(f => f.Id == l.FamilyId).Select(f => f.Rt).FirstOrDefault(),
                Rw = db.Families.Where(f => f.Id == l.FamilyId).Select(f => f.Rw).FirstOrDefault(),
                Head = db.Persons.Where(p => p.FamilyId == l.FamilyId && p.HubunganKk == 1).OrderBy(p => p.StatusHidup).Select(p => p.Nama).FirstOrDefault(),
                l.Reasons,
                l.Outcome,
                l.Changes,
                l.Note,
                l.Decision,
                l.ApplyResult,
                l.Proposal,
            })
            .ToListAsync(cancellationToken);
        var photos = await LinePhotos.OfAsync(db, lines.Select(l => l.Id), cancellationToken);
        var villageName = await db.Regions.Where(r => r.Code == kodeDesa).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        var musdes = await db.VerivaliMusdes.AsNoTracking().SingleOrDefaultAsync(m => m.PeriodId == periodId && m.KodeDesa == kodeDesa, cancellationToken);
        var kinds = await ProposalKinds.LoadAsync(db, rows.Select(r => r.FamilyId), cancellationToken);
        return new Outcome(period, kodeDesa, villageName, musdes,
            [.. rows.Select(r =>
            {
                // A proposed new family has no registry row: it is named from its proposal.
                var proposed = r.FamilyId is null ? ProposedFamily.Read(r.Proposal) : null;
                var noKk = r.NoKk ?? proposed?.Family.GetValueOrDefault("NO_KK");
                return new Row(r.Id, r.FamilyId, noKk is null ? "—" : NoKk.Mask(noKk), r.Head ?? proposed?.Head?.GetValueOrDefault("NAMA") ?? r.Note,
                    r.Rt ?? proposed?.Family.GetValueOrDefault("RT"), r.Rw ?? proposed?.Family.GetValueOrDefault("RW"), r.Reasons, r.Outcome,
                    kinds.Of(r.Outcome, r.Changes, r.FamilyId), r.Changes, r.Note, r.Decision, r.ApplyResult, [.. photos[r.Id]],
                    kinds.Describe(r.Changes, r.FamilyId));
            })]);
    }
}
