using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// The regency's proposal of a period for the national system (DTSEN via SIKS-NG): every line the musdes agreed to, by
/// name, as an addition (usulan baru), a removal (tidak layak, tidak ditemukan, a death or move that leaves no one) or a
/// change (perbaikan data, a death or move of some members: <see cref="ProposalKinds"/>), as CSV or XLSX; and a summary
/// per village. NO_KK and NIK in full only for roles that verify identities.
/// </summary>
public sealed class ExportProposal(TuntasDb db)
{
    public sealed record SummaryRow(string KodeDesa, int Additions, int Removals, int Changes, int Unchanged);

    public async Task<IReadOnlyList<SummaryRow>> SummaryAsync(long periodId, AccessScope scope, CancellationToken cancellationToken)
    {
        var rows = await Agreed(periodId, scope).Select(l => new { l.KodeDesa, l.Outcome, l.Changes, l.FamilyId }).ToListAsync(cancellationToken);
        var kinds = await ProposalKinds.LoadAsync(db, rows.Where(r => r.Outcome is VerivaliTerms.Died or VerivaliTerms.Moved).Select(r => r.FamilyId), cancellationToken);
        return [.. rows.Select(r => (r.KodeDesa, Kind: kinds.Of(r.Outcome, r.Changes, r.FamilyId)))
            .GroupBy(r => r.KodeDesa).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new SummaryRow(g.Key,
                g.Count(r => r.Kind == "penambahan"), g.Count(r => r.Kind == "pengurangan"), g.Count(r => r.Kind == "perubahan"), g.Count(r => r.Kind == "tetap")))];
    }

    public async Task<int> WriteAsync(long periodId, AccessScope scope, bool fullIdentifiers, bool xlsx, Stream output, CancellationToken cancellationToken)
    {
        var rows = await Agreed(periodId, scope).OrderBy(l => l.KodeDesa).ThenBy(l => l.Id)
            .Select(l => new
            {
                l.Id,
                l.KodeDesa,
                l.Outcome,
                l.Changes,
                l.Note,
                l.ApplyResult,
                l.Proposal,
                l.FamilyId,
                NoKk = db.Families.Where(f => f.Id == l.FamilyId).Select(f => f.NoKk).FirstOrDefault(),
                Head = db.Persons.Where(p => p.FamilyId == l.FamilyId && p.HubunganKk == 1).OrderBy(p => p.StatusHidup).Select(p => new { p.Nama, p.Nik }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        string Id(string? value) => value is null ? "" : fullIdentifiers ? value : Nik.Mask(value);
        // The same families as the summary reads, and those whose changes name members.
        var kinds = await ProposalKinds.LoadAsync(db, rows.Where(r => r.Outcome is VerivaliTerms.Died or VerivaliTerms.Moved || !string.IsNullOrEmpty(r.Changes))
            .Select(r => r.FamilyId), cancellationToken);
        return await TableExport.WriteAsync(output, ["JENIS_USULAN", "KODE_DESA", "NO_KK", "NIK_KEPALA", "NAMA_KEPALA", "HASIL_KUNJUNGAN", "PERUBAHAN", "CATATAN", "STATUS_TERAP", "BARIS"],
            rows.Select(r =>
            {
                // A proposed new family (usulan baru) is named from its proposal: it has no registry row.
                var proposed = r.NoKk is null ? ProposedFamily.Read(r.Proposal) : null;
                var head = proposed?.Head;
                return new object?[]
                {
                    kinds.Of(r.Outcome, r.Changes, r.FamilyId), r.KodeDesa, Id(r.NoKk ?? proposed?.Family.GetValueOrDefault("NO_KK")), Id(r.Head?.Nik ?? head?.GetValueOrDefault("NIK")),
                    r.Head?.Nama ?? head?.GetValueOrDefault("NAMA") ?? "", r.Outcome, kinds.Describe(r.Changes, r.FamilyId, fullIdentifiers), r.Note ?? "", r.ApplyResult ?? "", r.Id,
                };
            }), xlsx, "usulan", cancellationToken);
    }

    private IQueryable<VerivaliLine> Agreed(long periodId, AccessScope scope) => db.VerivaliLines.AsNoTracking()
        .Where(scope.VillageFilter<VerivaliLine>(l => l.KodeDesa))
        .Where(l => l.PeriodId == periodId && l.Decision == VerivaliTerms.Agree);
}
