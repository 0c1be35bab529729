using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tuntas.Audit;
using Tuntas.Imports;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Web.Imports;
using Tuntas.Web.Registry;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Api;

/// <summary>
/// The registry API. Signed-in users (cookie) and API clients (<c>X-Api-Key</c>) only: anonymous calls get
/// 401, a role that may not import gets 403, both as ProblemDetails. Identifiers never travel in a URL: search is a POST
/// with a JSON body. NIK and NO_KK are masked unless the role verifies identities (<see cref="RegistryPermissions.SeeFullIdentifiers"/>);
/// health, disability and income only for <see cref="RegistryPermissions.SeeSensitive"/>. Region scope applies to every query.
/// </summary>
public static class FamiliesApi
{
    public static RouteGroupBuilder MapFamiliesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Families"));

        api.MapGet("/families", ListAsync)
            .ReadsPersonalData("desa", "desa")
            .WithSummary("List the families of a village")
            .WithDescription("Paged list of the families of one village (desa = Kemendagri code, e.g. 33.14.01.2001). NO_KK masked.");
        api.MapGet("/families/{id:long}", GetAsync)
            .ReadsPersonalData("keluarga", "id", AuditActions.ViewFamily)
            .WithSummary("One family with its members")
            .WithDescription("Address, housing, assets, consumption, official desil and members. NIK and NO_KK masked for every role; full=true shows them (and " +
                "place and date of birth) to administrator, koordinator-tkpkd and operator-desa, recorded in the audit trail as such.");
        api.MapGet("/families/{id:long}/persons", PersonsAsync)
            .ReadsPersonalData("keluarga", "id", AuditActions.ViewFamily)
            .WithSummary("The members of a family")
            .WithDescription("Ordered by relationship to the head (SHDK), then birth date. NIK masked unless full=true, as for the family.");
        api.MapGet("/families/{id:long}/history", HistoryAsync)
            .ReadsPersonalData("keluarga", "id", AuditActions.ViewFamily)
            .WithSummary("Change history of a family")
            .WithDescription("Newest first, paged: when, who, source file, field, old and new value.");
        api.MapPost("/families/search", SearchAsync)
            .ReadsPersonalData("keluarga", null, readsOnPost: true)
            .WithSummary("Find families by NIK, NO_KK or name")
            .WithDescription("16 digits: exact NIK or NO_KK lookup; otherwise a name search that forgives spelling variants and one or two typos ('Siti Nur Haliza' finds 'Siti Nurhaliza', " +
                "'Dien Sukiny' finds 'Dian Sukini', 'Wardojo' finds 'Wardoyo'), closest first, at most `limit` families (20, up to 50). region (a kecamatan or " +
                "village code) narrows it within the caller's scope. The header Tuntas-More-Results says how many more families were found (\"12\"; \"12+\" " +
                "when there may be more: narrow by region). The query is in the body so that it never appears in a URL or an access log.");
        api.MapGet("/registry/export", ExportAsync)
            .RequireAuthorization(RegistryPermissions.Export.Name)
            .ReadsPersonalData("desa", "desa", AuditActions.Export)
            .WithSummary("Export the registry in OpenSID's or the DTKS layout")
            .WithDescription("format=opensid: OpenSID's population import file (sheet 'Data Penduduk', the 43 columns of Impor_model::$daftar_kolom, codes as numbers, " +
                "status_dasar, temporary NIKs as stored) for one village (desa = 33.14.01.2001 or 3314012001), file=xlsx|csv; without desa, every village of the " +
                "caller's scope as a ZIP of one file per village. format=dtks: the REGSOSEK2022.K workbook (sheets Keluarga and Anggota Keluarga), xlsx only. " +
                "Full NIK and NO_KK: roles administrator, koordinator-tkpkd, operator-desa (its own village only); each call is recorded in the audit trail. " +
                "docs/import-profiles.md, 'Back out to OpenSID'.");
        api.MapPost("/families/import", ImportAsync)
            .RequireAuthorization(RegistryPermissions.Write.Name)
            .DisableAntiforgery() // API clients carry no antiforgery token; the cookie is SameSite=Strict.
            .WithSummary("Import a registry file")
            .WithDescription("multipart/form-data with 'file' (CSV or XLSX: the registry import format, OpenSID's population file, OpenSID's DTKS workbook or the " +
                "BDT 2015 template, which updates registered persons only), 'profile' (tuntas, opensid-penduduk, opensid-dtks or bdt-2015; detected from the file " +
                "when empty), 'village' (the village of an OpenSID or DTKS file; empty: the caller's own village, else the village code the file's name carries, e.g. opensid-penduduk-3314012001.xlsx), 'dryRun' (true = validate only) and 'allowMoves' (true = a NIK the file lists under another NO_KK moves to that KK, as a PINDAH column of 1 on every row; without it such a row is the error NIK_OTHER_FAMILY). A file updates only the columns it carries; an empty " +
                "cell of an OpenSID file keeps the registry's value, as OpenSID's own import does. docs/import-profiles.md. Returns 202 with the job; poll its Location.");
        api.MapPost("/families/import/preview", PreviewImportAsync)
            .RequireAuthorization(RegistryPermissions.Write.Name)
            .DisableAntiforgery()
            .ReadsPersonalData("impor", null, readsOnPost: true)
            .WithSummary("Preview a registry file before importing it")
            .WithDescription("The same form as /families/import. Returns the detected profile, the column mapping (file column → registry field), the file's " +
                "columns that are not read, header findings and the first 5 rows as the import will read them (NIK and NO_KK masked). Nothing is stored or queued. " +
                "503 SERVER_BUSY with Retry-After when the server is already reading as many files as it reads at once: send the same request again later.");
        api.MapGet("/imports/villages", VillageImportsAsync)
            .RequireAuthorization(RegistryPermissions.Write.Name)
            .WithSummary("Which villages' data has come in")
            .WithDescription("Every village of the caller's scope: registered families, when one last changed, the last import of a file of that village " +
                "that was committed, not a dry run (OpenSID, DTKS, BDT: the job knows its village) and a later job of any outcome (a file refused since); " +
                "jobs as the caller may see them (own, or all for roles that see every import). The back office's /Impor/Desa. docs/import-profiles.md.");
        api.MapPost("/imports/{id:long}/import", ImportValidatedAsync)
            .RequireAuthorization(RegistryPermissions.Write.Name)
            .DisableAntiforgery()
            .WithSummary("Import the file of a dry run that passed")
            .WithDescription("A dry run (dryRun=true) that finished 'tervalidasi' (no error) keeps its file for 2 hours: its uploader queues its import with the dry run's " +
                "profile, village and allowMoves, in the caller's scope, without a second upload, and it is checked again against the registry as it is then. " +
                "Once per dry run. Returns 202 with the new job; 400 (UPLOAD_NOT_VALIDATED) when the dry run is another user's, had errors, is not finished, or its file " +
                "is no longer kept, UPLOAD_TAKEN when another request took it first.");
        api.MapGet("/imports/{id:long}", ImportJobAsync)
            .ReadsPersonalData("impor", "id")
            .RequireAuthorization(RegistryPermissions.Write.Name)
            .WithSummary("Status of an import job")
            .WithDescription("Phase and rows done while it runs; the import report when it has finished.");
        return api;
    }

    public sealed record FamilySummary(long Id, string NoKk, string KodeDesa, string? Alamat, string? Rt, string? Rw, string? KepalaKeluarga, int JumlahAnggota, int? DesilNasional);

    public sealed record FamilyPage(string KodeDesa, string NamaDesa, string KodeKecamatan, string? NamaKecamatan, int Page, int PageSize, int Total, IReadOnlyList<FamilySummary> Items);

    public sealed record PersonView(
        long Id, string Nik, bool NikMasked, bool NikSementara, string Nama, int JenisKelamin, string? TempatLahir, DateOnly? TanggalLahir, int Umur,
        int HubunganKk, int StatusKawin, int Pendidikan, int? StatusSekolah, bool? Bekerja, string? Pekerjaan,
        long? Penghasilan, int? Disabilitas, bool? PenyakitKronis, bool? Hamil, int StatusHidup, DateOnly? StatusTanggal);

    public sealed record FamilyView(
        long Id, string NoKk, bool NoKkMasked, bool NoKkSementara, string KodeDesa, string? NamaDesa, string KodeKecamatan, string? NamaKecamatan,
        string? Alamat, string? Rt, string? Rw, double? Lintang, double? Bujur,
        int? StatusBangunan, double? LuasLantai, int? JenisLantai, int? JenisDinding, int? JenisAtap, int? SumberAirMinum, int? SumberPenerangan,
        int? DayaListrik, int? BahanBakarMasak, int? FasilitasBab,
        bool? AsetKulkas, bool? AsetAc, bool? AsetTv, bool? AsetEmas10g, bool? AsetKomputer, bool? AsetSepedaMotor, bool? AsetMobil,
        bool? AsetPerahuMotor, bool? AsetSmartphone, bool? AsetRekening, double? LuasLahan, int? TernakSapi, int? TernakKambing, int? TernakUnggas,
        int? DagingPerMinggu, int? PakaianPerTahun, int? MakanPerHari, bool? MampuBerobat, bool? Tabungan500rb,
        int? DesilNasional, DateOnly? DesilNasionalTanggal, long? PengeluaranPerkapita, DateTime UpdatedAt,
        IReadOnlyList<PersonView> Anggota);

    public sealed record ChangeView(long Id, DateTime ChangedAt, string ChangedBy, string? SourceFile, long? PersonId, string Field, string? OldValue, string? NewValue);

    public sealed record HistoryPage(int Page, int PageSize, int Total, IReadOnlyList<ChangeView> Items);

    /// <summary>Families a name search found beyond those returned ("12", or "12+" when narrowing may find more).</summary>
    public const string MoreResultsHeader = "Tuntas-More-Results";

    public sealed record SearchRequest(string? Query, string? Region, int? Limit = null);

    public sealed record SearchHit(long Id, string NoKk, string KodeDesa, string? NamaDesa, string? KepalaKeluarga, string NamaCocok, string? NikCocok, int JumlahAnggota, string CocokPada, double Skor);

    public sealed record ImportJobView(long Id, string FileName, bool DryRun, bool AllowMoves, string Status, string? Phase, long RowsDone, long? RowsTotal,
        int ErrorCount, int WarningCount, string CreatedBy, DateTime CreatedAt, DateTime? FinishedAt, ImportReport? Report);

    private static async Task<Results<Ok<FamilyPage>, NotFound, ValidationProblem>> ListAsync(
        [FromQuery] string? desa, [FromQuery] int? page, [FromQuery] int? pageSize, ClaimsPrincipal user, ListFamilies listFamilies, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(desa) || Regions.RegionCode.ToDotted(desa) is not { Length: 13 })
        {
            return ApiProblems.Invalid("desa", ApiTexts.Both("Api.VillageRequired"));
        }
        var outcome = await listFamilies.RunAsync(new ListFamilies.Input(desa, page ?? 1, pageSize ?? 50, user.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new FamilyPage(outcome.VillageCode, outcome.VillageName, outcome.DistrictCode, outcome.DistrictName,
            outcome.Page, outcome.PageSize, outcome.Total,
            [.. outcome.Rows.Select(r => new FamilySummary(r.Id, r.NoKkMasked, outcome.VillageCode, r.Alamat, r.Rt, r.Rw, r.HeadName, r.Members, r.DesilNasional))]));
    }

    private static async Task<Results<Ok<FamilyView>, NotFound>> GetAsync(
        long id, [FromQuery] bool? full, ClaimsPrincipal user, FamilyDetails familyDetails, TimeProvider clock, IOptions<RegencyOptions> regency, HttpContext context,
        CancellationToken cancellationToken)
    {
        var outcome = await familyDetails.RunAsync(new FamilyDetails.Input(id, HistoryPageSize: 1, Scope: user.AccessScope()), cancellationToken);
        return outcome is null ? TypedResults.NotFound() : TypedResults.Ok(ToView(outcome, user, Reveal(full, user, context), Today(clock, regency)));
    }

    /// <summary>Full identifiers only when asked (full=true) by a role that verifies identities, and the audit entry says so
    /// (UU PDP 27/2022: masked by default, revealed by an audited action).</summary>
    private static bool Reveal(bool? full, ClaimsPrincipal user, HttpContext context)
    {
        var reveal = full == true && user.Has(RegistryPermissions.SeeFullIdentifiers);
        if (reveal)
        {
            AuditDetail.Set(context, "NIK lengkap");
        }
        return reveal;
    }

    private static async Task<Results<Ok<IReadOnlyList<PersonView>>, NotFound>> PersonsAsync(
        long id, [FromQuery] bool? full, ClaimsPrincipal user, FamilyDetails familyDetails, TimeProvider clock, IOptions<RegencyOptions> regency, HttpContext context,
        CancellationToken cancellationToken)
    {
        var outcome = await familyDetails.RunAsync(new FamilyDetails.Input(id, HistoryPageSize: 1, Scope: user.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.NotFound();
        }
        var today = Today(clock, regency);
        var reveal = Reveal(full, user, context);
        IReadOnlyList<PersonView> persons = [.. outcome.Members.Select(p => ToView(p, user, reveal, today))];
        return TypedResults.Ok(persons);
    }

    private static async Task<Results<Ok<HistoryPage>, NotFound>> HistoryAsync(
        long id, [FromQuery] int? page, [FromQuery] int? pageSize, ClaimsPrincipal user, FamilyDetails familyDetails, CancellationToken cancellationToken)
    {
        var outcome = await familyDetails.RunAsync(
            new FamilyDetails.Input(id, page ?? 1, pageSize ?? FamilyDetails.DefaultHistoryPageSize, user.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new HistoryPage(outcome.HistoryPage, outcome.HistoryPageSize, outcome.HistoryTotal,
            [.. outcome.History.Select(c => new ChangeView(c.Id, c.ChangedAt, c.ChangedBy, c.SourceFile is null ? null : HistoryValues.MaskIdentifiers(c.SourceFile), c.PersonId, c.Field,
                HistoryValues.Show(c.Field, c.OldValue, user.Has(RegistryPermissions.SeeSensitive)), HistoryValues.Show(c.Field, c.NewValue, user.Has(RegistryPermissions.SeeSensitive))))]));
    }

    private static async Task<Results<Ok<IReadOnlyList<SearchHit>>, ValidationProblem>> SearchAsync(
        SearchRequest request, ClaimsPrincipal user, FindFamilies findFamilies, HttpResponse response, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Query) || request.Query.Length > 200)
        {
            return ApiProblems.Invalid("query", ApiTexts.Both("Api.SearchQuery"));
        }
        var outcome = await findFamilies.RunAsync(new FindFamilies.Input(request.Query, TuntasClaims.RequestedRegion(request.Region),
            request.Limit ?? 20, user.AccessScope()), cancellationToken);
        response.Headers[MoreResultsHeader] = outcome.More.ToString(CultureInfo.InvariantCulture) + (outcome.MoreIsAtLeast ? "+" : "");
        IReadOnlyList<SearchHit> hits = [.. outcome.Hits.Select(h => new SearchHit(h.FamilyId, h.NoKkMasked, h.KodeDesa, h.DesaName, h.HeadName,
            h.MatchedName, h.MatchedNikMasked, h.MemberCount, h.MatchedBy.ToString(), Math.Round(h.Score, 3)))];
        return TypedResults.Ok(hits);
    }

    private static async Task<Results<FileStreamHttpResult, ValidationProblem>> ExportAsync(
        [FromQuery] string? format, [FromQuery] string? desa, [FromQuery] string? file, ClaimsPrincipal user, HttpContext context, TuntasDb db, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency, CancellationToken cancellationToken)
    {
        var (request, problems) = await Tuntas.Registry.Exports.RegistryExport.CheckAsync(db, format, desa, file, user.AccessScope(), user.Has(RegistryPermissions.SeeSensitive), cancellationToken);
        if (request is null)
        {
            return ApiProblems.Refused(problems);
        }
        AuditDetail.Set(context, $"{request.Format}, {request.FileName}");
        return TypedResults.File(await RegistryFile.WriteAsync(context, request, db, clock, regency.Value, cancellationToken), request.ContentType, request.FileName);
    }

    private static async Task<Results<Accepted<ImportJobView>, ValidationProblem>> ImportAsync(
        IFormFile? file, [FromForm] bool? dryRun, [FromForm] string? profile, [FromForm] string? village, [FromForm] bool? allowMoves, ClaimsPrincipal user,
        ImportUploads uploads, CancellationToken cancellationToken)
    {
        var outcome = await uploads.AcceptAsync(file, dryRun ?? false, user.UserName(), user.AccessScope(), cancellationToken, profile, village,
            allowMoves: allowMoves ?? false);
        if (outcome.Job is not { } job)
        {
            return ApiProblems.Refused(outcome.Refusal!);
        }
        return TypedResults.Accepted(string.Create(CultureInfo.InvariantCulture, $"/api/imports/{job.Id}"), ToView(job));
    }

    private static async Task<Results<Ok<PreviewImport.Outcome>, ValidationProblem, ProblemHttpResult>> PreviewImportAsync(
        IFormFile? file, [FromForm] string? profile, [FromForm] string? village, ClaimsPrincipal user, ImportUploads uploads, HttpContext context,
        CancellationToken cancellationToken)
    {
        var outcome = await uploads.PreviewAsync(file, user.UserName(), user.AccessScope(), cancellationToken, profile, village, keep: false);
        if (outcome.Preview is { } preview)
        {
            return TypedResults.Ok(preview);
        }
        return FileReadGate.IsBusy(outcome.Refusal) ? ApiProblems.Busy(context, outcome.Refusal!, FileReadGate.RetryAfter) : ApiProblems.Refused(outcome.Refusal!);
    }

    private static async Task<Ok<VillageImports.Outcome>> VillageImportsAsync(ClaimsPrincipal user, TuntasDb db,
        Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency, CancellationToken cancellationToken) =>
        TypedResults.Ok(await VillageImports.RunAsync(db, regency.Value.Regency, user.AccessScope(), user.Has(RegistryPermissions.SeeAllImports),
            user.UserName(), cancellationToken));

    private static async Task<Results<Accepted<ImportJobView>, NotFound, ValidationProblem>> ImportValidatedAsync(long id, ClaimsPrincipal user, TuntasDb db,
        ImportUploads uploads, CancellationToken cancellationToken)
    {
        if (await ImportDownloads.FindVisibleJobAsync(db, id, user, cancellationToken) is not { } dryRun)
        {
            return TypedResults.NotFound();
        }
        var outcome = await uploads.ImportValidatedAsync(dryRun, user.UserName(), user.AccessScope(), cancellationToken);
        return outcome.Job is { } job
            ? TypedResults.Accepted(string.Create(CultureInfo.InvariantCulture, $"/api/imports/{job.Id}"), ToView(job))
            : ApiProblems.Refused(outcome.Refusal!);
    }

    private static async Task<Results<Ok<ImportJobView>, NotFound>> ImportJobAsync(long id, ClaimsPrincipal user, TuntasDb db, ImportQueue queue,
        CancellationToken cancellationToken)
    {
        var job = await ImportDownloads.FindVisibleJobAsync(db, id, user, cancellationToken);
        return job is null ? TypedResults.NotFound() : TypedResults.Ok(ToView(queue.WithProgress(job)));
    }

    public static ImportJobView ToView(ImportJob job) =>
        new(job.Id, HistoryValues.MaskIdentifiers(job.FileName), job.DryRun, job.AllowMoves, job.Status, job.Phase, job.RowsDone, job.RowsTotal, job.ErrorCount, job.WarningCount,
            job.CreatedBy, job.CreatedAt, job.FinishedAt, job.ReportJson is null ? null : ImportReport.FromJson(job.ReportJson));

    /// <summary>The regency's day, that members' ages are counted on: before 07:00 WIB the UTC date is still yesterday, and a
    /// member born on this day would be a year younger until then.</summary>
    private static DateOnly Today(TimeProvider clock, IOptions<RegencyOptions> regency) => regency.Value.Today(clock);

    /// <summary>History lines about sensitive fields are masked for roles that may not see them.</summary>
    private static FamilyView ToView(FamilyDetails.Outcome outcome, ClaimsPrincipal user, bool full, DateOnly today)
    {
        var f = outcome.Family;
        return new FamilyView(f.Id, full ? f.NoKk : NoKk.Mask(f.NoKk), !full, f.NoKkSementara, f.KodeDesa, outcome.VillageName, outcome.DistrictCode, outcome.DistrictName,
            f.Alamat, f.Rt, f.Rw, full ? f.Lintang : null, full ? f.Bujur : null,
            f.StatusBangunan, f.LuasLantai, f.JenisLantai, f.JenisDinding, f.JenisAtap, f.SumberAirMinum, f.SumberPenerangan,
            f.DayaListrik, f.BahanBakarMasak, f.FasilitasBab,
            f.AsetKulkas, f.AsetAc, f.AsetTv, f.AsetEmas10g, f.AsetKomputer, f.AsetSepedaMotor, f.AsetMobil,
            f.AsetPerahuMotor, f.AsetSmartphone, f.AsetRekening, f.LuasLahan, f.TernakSapi, f.TernakKambing, f.TernakUnggas,
            f.DagingPerMinggu, f.PakaianPerTahun, f.MakanPerHari, f.MampuBerobat, f.Tabungan500rb,
            f.DesilNasional, f.DesilNasionalTanggal, user.Has(RegistryPermissions.SeeSensitive) ? f.PengeluaranPerkapita : null, f.UpdatedAt,
            [.. outcome.Members.Select(p => ToView(p, user, full, today))]);
    }

    private static PersonView ToView(Person p, ClaimsPrincipal user, bool full, DateOnly today)
    {
        var sensitive = user.Has(RegistryPermissions.SeeSensitive);
        return new PersonView(p.Id, full ? p.Nik : Nik.Mask(p.Nik), !full, p.NikSementara, p.Nama, p.JenisKelamin,
            full ? p.TempatLahir : null, full ? p.TanggalLahir : null, p.AgeOn(today),
            p.HubunganKk, p.StatusKawin, p.Pendidikan, p.StatusSekolah, p.Bekerja, p.Pekerjaan,
            sensitive ? p.Penghasilan : null, sensitive ? p.Disabilitas : null, sensitive ? p.PenyakitKronis : null, sensitive ? p.Hamil : null,
            p.StatusHidup, p.StatusTanggal);
    }
}
