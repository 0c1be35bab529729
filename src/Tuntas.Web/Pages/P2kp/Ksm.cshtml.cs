using Tuntas.P2kp;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>The KSM of the UPKs in the user's villages (by name: not for partners), with members and running loans.</summary>
public sealed class KsmModel(TuntasDb db) : PageModel
{
    public sealed record Row(long Id, string Kode, string Name, string Upk, string KodeDesa, string Jenis, DateOnly? FormedOn, DateOnly? DissolvedOn, int Members, int Loans, string? Facilitator);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyList<Upk> Upks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(P2kpAccess.SeeMembers))
        {
            return Forbid();
        }
        var scope = User.AccessScope();
        Upks = await db.Upks.AsNoTracking().Where(scope.VillageFilter<Upk>(u => u.KodeDesa)).OrderBy(u => u.Kode).ToListAsync(cancellationToken);
        Rows = await db.Ksms.AsNoTracking().Where(scope.VillageFilter<Ksm>(k => k.KodeDesa)).OrderBy(k => k.Kode).Take(1000)
            .Select(k => new Row(k.Id, k.Kode, k.Name, db.Upks.Where(u => u.Id == k.UpkId).Select(u => u.Kode).First(), k.KodeDesa, k.Jenis, k.FormedOn, k.DissolvedOn,
                db.KsmMembers.Count(m => m.KsmId == k.Id && m.LeftOn == null), db.UpkLoans.Count(l => l.KsmId == k.Id && l.Status == LoanStatus.Disbursed), k.Facilitator))
            .ToListAsync(cancellationToken);
        return Page();
    }
}
