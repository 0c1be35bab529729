using Tuntas.P2kp;
using Tuntas.P2kp.Planning;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// Pemetaan swadaya: a desa's families RT by RT, the category the community gives each (miskin, hampir miskin, tidak
/// miskin) for a year, counts per RT, and the families on which the community and the deciles disagree, by name.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("pemetaan-swadaya", "desa")]
public sealed class PemetaanModel(TuntasDb db, CommunityMapping mapping, ImportCommunityMapping import, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<(string Kode, string Name)> Villages { get; private set; } = [];
    public string? Desa { get; private set; }
    public int Tahun { get; private set; }
    public CommunityMapping.Overview? Overview { get; private set; }
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public int? Recorded { get; private set; }
    public bool CanManage { get; private set; }

    [BindProperty] public Dictionary<long, string?> Categories { get; set; } = [];

    /// <summary>The rows of an uploaded CSV that were refused (nothing was written).</summary>
    public IReadOnlyList<ImportCommunityMapping.RowIssue> ImportErrors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? desa, int? tahun, string? rt, CancellationToken cancellationToken) =>
        await LoadAsync(desa, tahun, rt, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? desa, int? tahun, string? rt, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(desa, tahun, rt, cancellationToken) || Desa is null)
        {
            return NotFound();
        }
        var outcome = await mapping.RecordAsync(new CommunityMapping.Input(Desa, rt, Tahun, Categories, User.UserName(), User.Role(), User.AccessScope()), cancellationToken);
        if (outcome.Problems.Count > 0)
        {
            Problems = outcome.Problems;
            return Page();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"pemetaan swadaya {Desa} RT {rt} {Tahun}: {outcome.Recorded} keluarga"));
        return Redirect(string.Create(CultureInfo.InvariantCulture, $"/P2kp/Pemetaan?desa={Desa}&tahun={Tahun}&rt={Uri.EscapeDataString(rt ?? "")}&ok={outcome.Recorded}"));
    }

    /// <summary>Many RTs at once from a CSV (NO_KK, KATEGORI, RT optional): the same Core use case as <c>tuntas upk pemetaan import</c>.</summary>
    public async Task<IActionResult> OnPostImporAsync(string? desa, int? tahun, IFormFile? berkas, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(desa, tahun, null, cancellationToken) || Desa is null)
        {
            return NotFound();
        }
        if (await Tuntas.Web.Uploads.UploadCheck.RefusalAsync(berkas, new Tuntas.Web.Uploads.UploadKind(2L * 1024 * 1024, ".csv"), cancellationToken) is { } refused)
        {
            Problems = [refused];
            return Page();
        }
        using var reader = new StreamReader(berkas!.OpenReadStream());
        var outcome = await import.RunAsync(new ImportCommunityMapping.Input(Desa, Tahun, reader, false, User.UserName(), User.Role(), User.AccessScope()), cancellationToken);
        if (!outcome.Written)
        {
            Problems = outcome.Problems;
            ImportErrors = outcome.Errors;
            return Page();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"pemetaan swadaya {Desa} {Tahun} dari CSV: {outcome.Recorded} keluarga"));
        return Redirect(string.Create(CultureInfo.InvariantCulture, $"/P2kp/Pemetaan?desa={Desa}&tahun={Tahun}&ok={outcome.Recorded}"));
    }

    private async Task<bool> LoadAsync(string? desa, int? tahun, string? rt, CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        // The desa with a BKM that the user sees by name: pemetaan swadaya is the BKM's planning step.
        var bkms = await db.Bkms.AsNoTracking().OrderBy(b => b.KodeDesa).Select(b => new { b.KodeDesa, b.Name }).ToListAsync(cancellationToken);
        Villages = [.. bkms.Where(b => P2kpAccess.MaySeeMembers(User.Role(), scope, b.KodeDesa)).Select(b => (b.KodeDesa, b.Name))];
        Tahun = tahun ?? regency.Value.Today(clock).Year;
        Desa = desa is null ? (Villages.Count == 1 ? Villages[0].Kode : null) : Regions.RegionCode.ToDotted(desa);
        if (Desa is null)
        {
            return desa is null;
        }
        Overview = await mapping.ReadAsync(Desa, Tahun, rt, User.Role(), scope, cancellationToken);
        CanManage = P2kpAccess.MayManage(User.Role(), scope, Desa);
        Recorded = int.TryParse(Request.Query["ok"], CultureInfo.InvariantCulture, out var n) ? n : null;
        return Overview is not null;
    }
}
