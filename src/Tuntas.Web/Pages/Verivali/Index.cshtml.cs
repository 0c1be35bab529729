using Tuntas.Verivali;
using Tuntas.Web.Verivali;

namespace Tuntas.Web.Pages.Verivali;

/// <summary>Verivali periods and the progress of the chosen one per village (the regency opens and closes periods here).</summary>
[Tuntas.Web.Security.PersonalDataRead("verivali", null)]
public sealed class IndexModel(TuntasDb db, OpenPeriod openPeriod, ClosePeriod closePeriod, VillageProgress villageProgress) : PageModel
{
    public IReadOnlyList<VerivaliPeriod> Periods { get; private set; } = [];

    public VerivaliPeriod? Period { get; private set; }

    public IReadOnlyList<VillageProgress.Row> Progress { get; private set; } = [];

    public Problem? Problem { get; private set; }

    public bool IsRegency => User.Has(VerivaliPermissions.RunRegency);

    public async Task OnGetAsync(long? periode, CancellationToken cancellationToken) => await LoadAsync(periode, cancellationToken);

    public async Task<IActionResult> OnPostBukaAsync(string? nama, CancellationToken cancellationToken)
    {
        if (!IsRegency)
        {
            return Forbid();
        }
        var outcome = await openPeriod.RunAsync(new OpenPeriod.Input(nama ?? "", User.UserName()), cancellationToken);
        Problem = outcome.Problem is { } code ? VerivaliProblems.Of(code) : null;
        if (outcome.Period is { } period)
        {
            AuditDetail.Set(HttpContext, $"buka periode verivali #{period.Id}: {outcome.Lines} baris");
        }
        await LoadAsync(outcome.Period?.Id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTutupAsync(long periode, CancellationToken cancellationToken)
    {
        if (!IsRegency)
        {
            return Forbid();
        }
        Problem = await closePeriod.RunAsync(periode, User.UserName(), cancellationToken);
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    private async Task LoadAsync(long? periode, CancellationToken cancellationToken)
    {
        Periods = await db.VerivaliPeriods.AsNoTracking().OrderByDescending(p => p.Id).ToListAsync(cancellationToken);
        Period = Periods.FirstOrDefault(p => p.Id == periode) ?? Periods.FirstOrDefault();
        Progress = Period is null ? [] : await villageProgress.RunAsync(Period.Id, User.AccessScope(), cancellationToken);
    }
}
