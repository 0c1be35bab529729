using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Users;
using Tuntas.Web.Complaints;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// Committed against delivered: per village and per stakeholder with every commitment behind the totals,
/// filtered by kecamatan or village, stakeholder, year and helix, and downloadable as CSV or XLSX (each download is
/// audited). Readable by every signed-in role, like the Forum CSR view: it holds no personal data.
/// </summary>
public sealed class LaporanModel(TuntasDb db, CommitmentReport report, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Wilayah { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Pemangku { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Tahun { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Heliks { get; set; }

    public CommitmentReport.Outcome Report { get; private set; } = null!;

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public IReadOnlyList<Stakeholder> Stakeholders { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name, string District)> Villages { get; private set; } = [];

    /// <summary>The current filters as a query string, for the download links.</summary>
    public string Query => With(null, null);

    /// <summary>The current filters with one changed (a drill-down keeps the year, helix and the rest).</summary>
    public string With(string? key, string? value)
    {
        var filters = new Dictionary<string, string?>
        {
            ["Wilayah"] = Wilayah,
            ["Pemangku"] = Pemangku?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tahun"] = Tahun?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Heliks"] = Heliks,
        };
        if (key is not null)
        {
            filters[key] = value;
        }
        return QueryString.Create(filters.Where(p => !string.IsNullOrWhiteSpace(p.Value))).Value ?? "";
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Problems = FilterProblems();
        Report = Problems.Count > 0 ? CommitmentReport.Empty(Input()) : await report.RunAsync(Input(), cancellationToken);
        Stakeholders = await db.Stakeholders.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        Villages = await ComplaintForm.VillagesAsync(db, configuration.Regency(), cancellationToken);
    }

    /// <summary>One view (komitmen, desa, pemangku) as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetUnduhAsync([FromQuery] string? per, [FromQuery] string? format, CancellationToken cancellationToken)
    {
        var view = CommitmentReport.Views.Contains(per) ? per! : "komitmen";
        var xlsx = format == "xlsx";
        if (FilterProblems().Count > 0)
        {
            await OnGetAsync(cancellationToken); // the page, with the problem next to the filters
            return Page();
        }
        var outcome = await report.RunAsync(Input(), cancellationToken);
        using var buffer = new MemoryStream();
        await CommitmentReport.WriteAsync(outcome, view, buffer, xlsx, cancellationToken);
        var name = "komitmen-" + view + (Wilayah is { Length: > 0 } w ? "-" + w.Replace('.', '-') : "") + (Pemangku is { } p ? "-pemangku-" + p : "")
            + (Tahun is { } y ? "-" + y : "");
        return File(buffer.ToArray(), xlsx ? Data.TableExport.XlsxContentType : Data.TableExport.CsvContentType,
            name + (xlsx ? ".xlsx" : ".csv"));
    }

    /// <summary>The filters' problems; "Tahun=abc" fails model binding and would silently mean "every year": say so instead.</summary>
    private IReadOnlyList<Problem> FilterProblems() =>
        ModelState.TryGetValue(nameof(Tahun), out var year) && year.Errors.Count > 0
            ? [new Problem("Year", "YEAR_RANGE", "Tahun antara 2000 dan 2100.", "The year is between 2000 and 2100.")]
            : CommitmentReport.Check(Input());

    private CommitmentReport.Input Input() =>
        new(Wilayah, Pemangku, Tahun, string.IsNullOrWhiteSpace(Heliks) || Heliks == "semua" ? null : Heliks);
}
