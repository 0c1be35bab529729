using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Dashboard;

namespace Tuntas.Web.Api;

/// <summary>
/// The dashboard's data, from the pre-aggregated <c>village_indicators</c> only: a region's totals, its
/// child regions and every village (for the map), and the child table as CSV or XLSX. Region-scoped: a village
/// operator gets their own village only (404 for any other region).
/// </summary>
public static class DashboardApi
{
    /// <summary>The table's columns: measure and header (Indonesian / English) in export order.</summary>
    public static readonly IReadOnlyList<(string Measure, string Header)> Columns =
    [
        (Measures.Families, "KELUARGA"),
        (Measures.Persons, "JIWA"),
        (Measures.PoorBps, "MISKIN_14_KRITERIA"),
        (Measures.Desil1To4, "DESIL_1_4"),
        (Measures.AnyAssistance, "MENERIMA_BANTUAN"),
        (Measures.Inclusion, "SALAH_INKLUSI"),
        (Measures.Exclusion, "SALAH_EKSKLUSI"),
        (Measures.PoorestWithoutAssistance, "DESIL_1_TANPA_BANTUAN"),
    ];

    public static RouteGroupBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Dashboard"));
        api.MapGet("/{code}", GetAsync)
            .WithSummary("Dashboard of a regency, kecamatan or village")
            .WithDescription("From the per-village pre-aggregate (refreshed when the registry, a targeting run or an enrollment changed): totals, child regions, and one entry per village with its measures (keluarga, jiwa, miskin_bps, desil_1..desil_10, desil_1_4, layak:PROGRAM, penerima:PROGRAM, penerima_bantuan, salah_inklusi[:PROGRAM], salah_eksklusi[:PROGRAM], desil1_tanpa_bantuan). A village operator sees their village only.");
        api.MapGet("/{code}/export", ExportAsync)
            .WithSummary("The dashboard's child-region table as CSV or XLSX")
            .WithDescription("format = csv (default) or xlsx. Columns KODE,NAMA,KELUARGA,JIWA,MISKIN_14_KRITERIA,DESIL_1_4,MENERIMA_BANTUAN,SALAH_INKLUSI,SALAH_EKSKLUSI,DESIL_1_TANPA_BANTUAN, then DESIL_1..DESIL_10 and PENERIMA_<PROGRAM>.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return api;
    }

    public sealed record RegionView(string Code, string Name, IReadOnlyDictionary<string, long> Values);

    public sealed record DashboardView(string Code, string Name, string Level, string? ParentCode, long? RunId, DateTime? RefreshedAt,
        IReadOnlyDictionary<string, long> Totals, IReadOnlyList<RegionView> Children, IReadOnlyList<RegionView> Villages,
        IReadOnlyList<ReadDashboard.ProgramInfo> Programs);

    private static async Task<Results<Ok<DashboardView>, NotFound>> GetAsync(string code, ClaimsPrincipal user, ReadDashboard read, CancellationToken cancellationToken)
    {
        var outcome = await read.RunAsync(new ReadDashboard.Input(code, user.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.NotFound();
        }
        static RegionView View(ReadDashboard.Row row) => new(row.Code, row.Name, row.Values);
        return TypedResults.Ok(new DashboardView(outcome.Code, outcome.Name, outcome.Level, outcome.ParentCode, outcome.RunId, outcome.RefreshedAt,
            outcome.Totals.Values, [.. outcome.Children.Select(View)], [.. outcome.Villages.Select(View)], outcome.Programs));
    }

    private static async Task<IResult> ExportAsync(string code, string? format, ClaimsPrincipal user, ReadDashboard read, CancellationToken cancellationToken)
    {
        var outcome = await read.RunAsync(new ReadDashboard.Input(code, user.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.NotFound();
        }
        var xlsx = string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase);
        var rows = outcome.Children.Count > 0 ? outcome.Children : outcome.Villages;
        var programs = outcome.Programs.Select(p => p.Code).ToList();
        var header = new List<string> { "KODE", "NAMA" };
        header.AddRange(Columns.Select(c => c.Header));
        header.AddRange(Enumerable.Range(1, 10).Select(d => "DESIL_" + d.ToString(CultureInfo.InvariantCulture)));
        header.AddRange(programs.Select(p => "PENERIMA_" + p));
        IEnumerable<object?> Line(ReadDashboard.Row row) =>
        [
            row.Code, row.Name,
            .. Columns.Select(c => (object?)row[c.Measure]),
            .. Enumerable.Range(1, 10).Select(d => (object?)row[Measures.Desil(d)]),
            .. programs.Select(p => (object?)row[Measures.RecipientsPrefix + p]),
        ];
        var name = "dasbor-" + outcome.Code.Replace('.', '-');
        return TypedResults.Stream(async stream =>
        {
            // XlsxWriter writes synchronously: buffer, then copy.
            using var buffer = new MemoryStream();
            await TableExport.WriteAsync(buffer, header, rows.Select(Line), xlsx, "Dasbor", cancellationToken);
            buffer.Position = 0;
            await buffer.CopyToAsync(stream, cancellationToken);
        }, xlsx ? TableExport.XlsxContentType : TableExport.CsvContentType, name + (xlsx ? ".xlsx" : ".csv"));
    }
}
