using Tuntas.P2kp.Performance;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>A UPK's monthly report, printable, and as XLSX with <c>?format=xlsx</c>. Aggregates and loan numbers only (no member names).</summary>
public sealed class LaporanModel(UpkMonthlyReport reports, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public UpkMonthlyReport.Outcome Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string kode, string? bulan, string? format, CancellationToken cancellationToken)
    {
        var month = bulan is not null && DateOnly.TryParseExact(bulan + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : regency.Value.Today(clock);
        if (await reports.RunAsync(kode, month.Year, month.Month, User.AccessScope(), cancellationToken) is not { } report)
        {
            return NotFound();
        }
        Report = report;
        if (format == "xlsx")
        {
            var stream = new MemoryStream();
            UpkMonthlyReport.WriteXlsx(report, stream);
            AuditDetail.Set(HttpContext, $"laporan UPK {report.Upk.Kode} {report.Month}");
            return File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"laporan-{report.Upk.Kode}-{report.Month}.xlsx");
        }
        return Page();
    }
}
