using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Complaints;
using Tuntas.PublicPortal;
using Tuntas.Web.PublicPortal;

namespace Tuntas.Web.Api;

/// <summary>
/// The public JSON API, without sign-in, for the portal's own pages and for village kiosks:
/// <c>POST /api/public/status</c> (NIK and name, or NIK and NO_KK, in the body — never in a URL). Over the limits of
/// <see cref="PublicRateLimits"/> the answer is 429 with <c>Retry-After</c>, before anything is looked up.
/// </summary>
public static class PublicApi
{
    public sealed record StatusRequest(string? Nik, string? Nama, string? NoKk);

    /// <summary>The same shape whatever the outcome: <c>ditemukan</c> false for an unknown NIK and for a wrong name alike.</summary>
    public sealed record StatusResponse(bool Ditemukan, string? Nama, IReadOnlyList<CheckStatus.ProgramStatus> Program, string Pesan, string Message);

    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/public").AllowAnonymous().DisableAntiforgery().WithTags(ApiTexts.Both("Api.Tag.Public"));
        api.MapPost("/status", StatusAsync)
            .WithMetadata(new Tuntas.Web.Security.NotAuditedAttribute())
            .WithSummary("Assistance status check for a citizen (no sign-in)")
            .WithDescription("Body {\"nik\": \"16 digits\", \"nama\": \"full name\"} or {\"nik\": …, \"noKk\": …}. Answers ditemukan (in the integrated data or not), the matched name masked, and the programs the family receives this period (aktif / ditangguhkan). An unknown NIK and a wrong name get the same answer. Rate limited per client, per NIK and per NIK prefix: 429 with Retry-After.")
            .Produces<StatusResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/complaints", FileAsync)
            .WithSummary("File a complaint (no sign-in)")
            .WithDescription("Body {kategori, nama, kontak?, nik?, kodeDesa?, uraian}. kategori: tidak-terdaftar, salah-sasaran, data-salah, bantuan-tidak-diterima, biaya-berobat, jampersal, bpjs, pendidikan, rumah, lainnya (village categories need kodeDesa). Returns 201 with the ticket to follow it. Every problem is listed (400). Attachments: through the portal page. Rate limited per client (429).")
            .Produces<ComplaintFiled>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapGet("/complaints/{ticket}", TrackAsync)
            .WithSummary("Follow a complaint by its ticket")
            .WithDescription("Category, status, handler, dates, public steps and resolution; nothing about the complainant. 404 for an unknown ticket. Rate limited per client.")
            .Produces<TrackComplaint.View>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/transparency/{code}", TransparencyAsync)
            .WithSummary("Public aggregates of a regency, kecamatan or village")
            .WithDescription("Per child region: keluarga, penerima:PROGRAM, penerima_bantuan, pengaduan_diterima, pengaduan_selesai, median_hari_selesai. Counts from 1 to 4 are null (suppressed), with secondary suppression so none can be recovered from the total.")
            .Produces<Transparency.Outcome>()
            .RequireRateLimiting(PublicPortal.TransparencyRateLimit.Policy);
        api.MapGet("/transparency/{code}/csv", TransparencyCsvAsync)
            .WithSummary("The same aggregates as open-data CSV")
            .WithDescription("Columns KODE, NAMA, KELUARGA, PENERIMA_<PROGRAM>…, PENERIMA_BANTUAN, PENGADUAN_DITERIMA, PENGADUAN_SELESAI, MEDIAN_HARI_SELESAI, ADA_SEL_DISEMBUNYIKAN; a suppressed cell is empty. The last row is the total.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireRateLimiting(PublicPortal.TransparencyRateLimit.Policy);
        return api;
    }

    private static async Task<Results<Ok<Transparency.Outcome>, NotFound>> TransparencyAsync(string code, Transparency transparency, IConfiguration configuration,
        CancellationToken cancellationToken) =>
        await ReportAsync(code, transparency, configuration, cancellationToken) is { } report ? TypedResults.Ok(report) : TypedResults.NotFound();

    private static async Task<IResult> TransparencyCsvAsync(string code, Transparency transparency, IConfiguration configuration, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (await ReportAsync(code, transparency, configuration, cancellationToken) is not { } report)
        {
            return TypedResults.NotFound();
        }
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Transparency.WriteCsv(report, text);
        // Aggregates only: a public, cacheable open-data file (the no-store default is for personal data).
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            context.Response.Headers.Remove("Pragma");
            return Task.CompletedTask;
        });
        return TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(text.ToString())).ToArray(),
            "text/csv; charset=utf-8", $"transparansi-{report.Code}.csv");
    }

    private static async Task<Transparency.Outcome?> ReportAsync(string code, Transparency transparency, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var regency = configuration.Regency();
        return Regions.RegionCode.ToDotted(code) is { } dotted && dotted.StartsWith(regency, StringComparison.Ordinal)
            ? await transparency.RunAsync(dotted, cancellationToken)
            : null;
    }

    public sealed record ComplaintRequest(string? Kategori, string? Nama, string? Kontak, string? Nik, string? KodeDesa, string? Uraian);

    public sealed record ComplaintFiled(string Tiket, string Status, DateTime BatasWaktu, string Penangan);

    private static async Task<Results<Created<ComplaintFiled>, ValidationProblem, ProblemHttpResult>> FileAsync(ComplaintRequest? request, HttpContext context,
        FileComplaint file, PublicRateLimits limits, CancellationToken cancellationToken)
    {
        if (!limits.AllowComplaint(PublicClient.Of(context), out var wait))
        {
            return TooMany(context, wait);
        }
        var outcome = await file.RunAsync(new FileComplaint.Input(request?.Kategori, ComplaintTerms.ChannelApi, request?.Nama, request?.Kontak, request?.Nik,
            request?.KodeDesa, request?.Uraian, "publik", []), cancellationToken);
        if (outcome.Complaint is not { } complaint)
        {
            return ApiProblems.Refused(outcome.Problems);
        }
        return TypedResults.Created("/api/public/complaints/" + complaint.Ticket,
            new ComplaintFiled(complaint.Ticket, complaint.Status, complaint.DueAt, FileComplaint.HandlerLabel(complaint)));
    }

    private static async Task<Results<Ok<TrackComplaint.View>, NotFound, ProblemHttpResult>> TrackAsync(string ticket, HttpContext context,
        TrackComplaint track, PublicRateLimits limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!limits.AllowClient(PublicClient.Of(context), out var wait))
        {
            return TooMany(context, wait);
        }
        return await track.RunAsync(ticket, clock.GetUtcNow().UtcDateTime, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> StatusAsync(StatusRequest? request, HttpContext context,
        CheckStatus check, PublicRateLimits limits, CancellationToken cancellationToken)
    {
        if (!limits.AllowStatusCheck(PublicClient.Of(context), request?.Nik, out var wait))
        {
            return TooMany(context, wait);
        }
        return StatusResult(await check.RunAsync(new CheckStatus.Input(request?.Nik, request?.Nama, request?.NoKk), cancellationToken));
    }

    /// <summary>A status check's answer as the API gives it (the portal's and the posko's endpoints alike).</summary>
    public static Results<Ok<StatusResponse>, ProblemHttpResult> StatusResult(CheckStatus.Outcome outcome) =>
        outcome.Problem is not null
            ? TypedResults.Problem(title: ApiProblems.RefusedTitle, detail: $"{outcome.Problem} / {outcome.ProblemEn}", statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Ok(new StatusResponse(outcome.Found, outcome.NamaTersamar, outcome.Program,
                outcome.Found ? CheckStatus.FoundMessage : CheckStatus.NotFoundMessage, outcome.Found ? CheckStatus.FoundMessageEn : CheckStatus.NotFoundMessageEn));

    /// <summary>429 with the real wait in <c>Retry-After</c> and in words; a status check can also be made at a posko.</summary>
    public static ProblemHttpResult TooMany(HttpContext context, TimeSpan wait)
    {
        var seconds = PublicRateLimits.Seconds(wait);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var minutes = (seconds + 59) / 60;
        return TypedResults.Problem(title: ApiTexts.Both("Api.TooManyRequests"), detail: ApiTexts.Both("Api.TryAgainIn", minutes),
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
