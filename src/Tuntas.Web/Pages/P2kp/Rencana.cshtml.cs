using Tuntas.P2kp;
using Tuntas.P2kp.Planning;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>The BKMs' PJM Pronangkis and Renta plans in the user's area with their budget and realisation; a new plan for a BKM the user manages.</summary>
public sealed class RencanaModel(TuntasDb db, ReadPlans plans, SavePlan save, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<ReadPlans.PlanRow> Plans { get; private set; } = [];
    public IReadOnlyList<Bkm> Manageable { get; private set; } = [];
    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty] public long BkmId { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public int Year { get; set; }
    [BindProperty] public string? Title { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Year = regency.Value.Today(clock).Year;
        await LoadAsync(cancellationToken);
    }

    /// <summary>Every activity of the plans the user sees, one row each (the same rows as <c>tuntas upk kegiatan</c>), CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetUnduhAsync(string? format, [FromServices] ExportActivities export, CancellationToken cancellationToken)
    {
        var xlsx = format == "xlsx";
        var rows = await export.RowsAsync(null, User.AccessScope(), cancellationToken);
        var buffer = new MemoryStream();
        await ExportActivities.WriteAsync(buffer, rows, xlsx, cancellationToken);
        return File(buffer.ToArray(), xlsx ? Tuntas.Data.TableExport.XlsxContentType : Tuntas.Data.TableExport.CsvContentType, "kegiatan-p2kp" + (xlsx ? ".xlsx" : ".csv"));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await save.RunAsync(new SavePlan.Input(BkmId, Kind, Year, Title, User.UserName(), User.Role(), User.AccessScope()), cancellationToken);
        if (outcome.Plan is { } plan)
        {
            AuditDetail.Set(HttpContext, $"rencana {plan.Kind} {plan.YearFrom} BKM {plan.BkmId}");
            return Redirect($"/P2kp/Rencana/{plan.Id}");
        }
        Problems = outcome.Problems;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        Plans = await plans.ListAsync(scope, cancellationToken);
        Manageable = [.. (await db.Bkms.AsNoTracking().OrderBy(b => b.KodeDesa).ToListAsync(cancellationToken)).Where(b => P2kpAccess.MayManage(User.Role(), scope, b.KodeDesa))];
    }
}
