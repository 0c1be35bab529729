using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Demo;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The program back office (/Program) and API (/api/programs) over a small demo regency with demo recipients.</summary>
public sealed class ProgramsTests
{
    private const int DemoFamilies = 1200;
    private const string ProgramCode = "BLTDD";

    private static async Task<TuntasWebFactory> CreateWithDemoAsync(string provider)
    {
        var app = await CreateAsync(provider);
        var seeded = await new SeedDemoRegistry(app.Database, TimeProvider.System)
            .RunAsync(new GenerateDemoRegistry.Input("33.14", DemoFamilies, 1), null, CancellationToken.None);
        Assert.True(seeded.Import.Committed, seeded.Import.Failure);
        // The web app seeds the catalogue at start-up; make sure it ran before the demo recipients are drawn.
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoEnrollments(app.Database, TimeProvider.System).RunAsync(1, DateTime.UtcNow.Year, CancellationToken.None);
        return app;
    }

    /// <summary>A person of a family that receives nothing at all: (family id, NIK, name).</summary>
    private static async Task<(long FamilyId, string Nik, string Nama)> UnenrolledPersonAsync(TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        var enrolled = db.Enrollments.Select(e => e.FamilyId);
        var person = await db.Persons.Where(p => !enrolled.Contains(p.FamilyId) && p.HubunganKk == 1).OrderBy(p => p.Id).FirstAsync();
        return (person.FamilyId, person.Nik, person.Nama);
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var page = await ParseAsync(await client.GetStringAsync(url));
        return page.QuerySelector("main form input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no antiforgery token on " + url);
    }

    private static async Task<AngleSharp.Dom.IDocument> UploadAsync(HttpClient client, string csv, bool dryRun, string? period = null)
    {
        var url = $"/Program/{ProgramCode}";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync(client, url)), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "bnba-bltdd.csv" },
        };
        if (dryRun)
        {
            form.Add(new StringContent("true"), "DryRun");
        }
        if (period is not null)
        {
            form.Add(new StringContent(period), "Periode");
        }
        var response = await client.PostAsync(url + "?handler=Unggah", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ParseAsync(await response.Content.ReadAsStringAsync());
    }

    private static int Count(AngleSharp.Dom.IDocument page, string id) =>
        int.Parse(page.QuerySelector("#n-" + id)!.TextContent.Trim(), NumberStyles.AllowThousands, new CultureInfo("id"));

    private static string UnknownNik() => Nik.Compose("331401", new DateOnly(1931, 1, 1), 1, 9_999);

    private static string ListCsv(string nik, string nama, string amount, bool duplicate = true)
    {
        var period = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture) + "-03";
        var csv = new StringBuilder();
        csv.AppendLine("NIK,NAMA,NOMINAL,PERIODE");
        csv.AppendLine($"{nik},{nama},\"{amount}\",{period}");
        csv.AppendLine($"{UnknownNik()},Orang Luar,,");
        if (duplicate)
        {
            csv.AppendLine($"{nik},{nama},,");
        }
        return csv.ToString();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recipient_list_is_matched_then_committed_shown_on_the_family_page_and_an_exit_is_historied(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        var client = await app.SignInAsAdministratorAsync();

        var catalogue = await ParseAsync(await client.GetStringAsync("/Program"));
        Assert.Contains(catalogue.QuerySelectorAll("#katalog tbody tr td:first-child a"), a => a.TextContent == "PKH");
        Assert.NotEmpty(catalogue.QuerySelectorAll("#katalog .belum-terverifikasi"));
        Assert.NotNull(catalogue.QuerySelector("form#simpan-program"));

        var (familyId, nik, nama) = await UnenrolledPersonAsync(app);
        var before = await EnrollmentCountAsync(app);

        // Dry run: one match (amount written "Rp 1,5 jt"), one NIK outside the registry, one duplicate row; nothing written.
        var dry = await UploadAsync(client, ListCsv(nik, nama, "Rp 1,5 jt"), dryRun: true);
        Assert.Null(dry.QuerySelector("#masalah"));
        Assert.Equal(3, Count(dry, "rows"));
        Assert.True(1 == Count(dry, "matched"), dry.QuerySelector("#laporan")!.TextContent);
        Assert.Equal(0, Count(dry, "nameMismatch"));
        Assert.True(1 == Count(dry, "notFound"), dry.QuerySelector("#laporan")!.TextContent);
        Assert.Equal(1, Count(dry, "duplicates"));
        Assert.Equal(0, Count(dry, "errors"));
        Assert.Equal("0", dry.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        Assert.Equal(2, dry.QuerySelectorAll("#baris-laporan tbody tr").Length);
        // The row's status in the user's words, the code kept for scripts.
        var outside = dry.QuerySelector("#baris-laporan td[data-status='notFound']")!;
        Assert.Equal("di luar data terpadu", outside.TextContent);
        Assert.DoesNotContain(nik, dry.QuerySelector("#laporan")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await EnrollmentCountAsync(app));

        // Committed: the family is enrolled with the payment, and its page shows it.
        var done = await UploadAsync(client, ListCsv(nik, nama, "Rp 1,5 jt"), dryRun: false);
        Assert.Equal("1", done.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        Assert.Equal(before + 1, await EnrollmentCountAsync(app));

        var family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{familyId}"));
        var row = Assert.Single(family.QuerySelectorAll("#bantuan-diterima tbody tr"));
        Assert.Contains(ProgramCode, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("1.500.000", family.QuerySelector("#bantuan-dibayar")!.TextContent, StringComparison.Ordinal);

        // The ministry's next list gives the card and the phase: kept, and shown masked on both pages.
        var june = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture) + "-06";
        var phase = await UploadAsync(client, $"NIK,NAMA,NOMINAL,PERIODE,TAHAP,NOMOR_KARTU,IDARTBDT\n{nik},{nama},750000,{june},Tahap II,5021000123456789,3314010100045601\n", dryRun: false);
        Assert.Equal("1", phase.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{familyId}"));
        Assert.Contains("tahap 2", family.QuerySelector("#bantuan-diterima .tahap")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("••••6789", family.QuerySelector("#bantuan-diterima .identitas-daftar")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("IDARTBDT ••••••••••••5601", family.QuerySelector("#bantuan-diterima .identitas-daftar")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("5021000123456789", family.Body!.InnerHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("3314010100045601", family.Body!.InnerHtml, StringComparison.Ordinal);
        var programPage = await ParseAsync(await client.GetStringAsync($"/Program/{ProgramCode}"));
        Assert.Contains(programPage.QuerySelectorAll("td.kartu"), td => td.TextContent.EndsWith("6789", StringComparison.Ordinal) && td.TextContent.StartsWith('•'));

        // An amount written "1,500" is ambiguous: an error, and nothing is written.
        var (_, otherNik, otherNama) = await UnenrolledPersonAsync(app);
        var refused = await UploadAsync(client, ListCsv(otherNik, otherNama, "1,500", duplicate: false), dryRun: false);
        Assert.Equal(1, Count(refused, "errors"));
        Assert.Equal("0", refused.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        Assert.Contains("NOMINAL", refused.QuerySelector("#baris-laporan")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before + 1, await EnrollmentCountAsync(app));

        // Exit with reason "pindah": the enrollment ends and its history shows the step.
        long enrollmentId;
        await using (var db = app.Database.CreateDb())
        {
            enrollmentId = await db.Enrollments.Where(e => e.FamilyId == familyId).Select(e => e.Id).SingleAsync();
        }
        var url = $"/Program/{ProgramCode}";
        var exit = await client.PostAsync(url + "?handler=Status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(client, url),
            ["EnrollmentId"] = enrollmentId.ToString(CultureInfo.InvariantCulture),
            ["Status"] = ProgramTerms.Exited,
            ["Reason"] = "pindah",
            ["Note"] = "pindah ke Jawa Barat",
        }));
        var exited = await ParseAsync(await exit.Content.ReadAsStringAsync());
        Assert.Null(exited.QuerySelector("#masalah"));
        Assert.NotNull(exited.QuerySelector("#selesai"));
        await using (var db = app.Database.CreateDb())
        {
            var enrollment = await db.Enrollments.SingleAsync(e => e.Id == enrollmentId);
            Assert.Equal(ProgramTerms.Exited, enrollment.Status);
            Assert.Equal("pindah", enrollment.ExitReason);
            // Enrolled, the card the second list gave, exited.
            Assert.Equal(3, await db.EnrollmentEvents.CountAsync(e => e.EnrollmentId == enrollmentId));
        }
        family = await ParseAsync(await client.GetStringAsync($"/Keluarga/{familyId}"));
        Assert.Contains("Pindah", family.QuerySelector("#bantuan-diterima")!.TextContent, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Program_page_history_overlap_matrix_and_error_report_with_xlsx_worklist(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        var client = await app.SignInAsAdministratorAsync();

        // Saving a program lists every problem; a valid one is saved.
        var refused = await PostFormAsync(client, "/Program", new() { ["Form.Code"] = "x", ["Form.Name"] = "", ["Form.Amount"] = "1,500" });
        var page = await ParseAsync(await refused.Content.ReadAsStringAsync());
        Assert.True(page.QuerySelectorAll("#masalah li").Length >= 5);
        var saved = await PostFormAsync(client, "/Program", new()
        {
            ["Form.Code"] = "CSR-SRG",
            ["Form.Name"] = "Beasiswa CSR",
            ["Form.OwnerKind"] = "perusahaan",
            ["Form.OwnerName"] = "PT Contoh",
            ["Form.FundingSource"] = "CSR",
            ["Form.TargetUnit"] = "orang",
            ["Form.BenefitKind"] = "tunai",
            ["Form.Amount"] = "Rp 500 rb",
            ["Form.Period"] = "semester",
            ["Form.Quota"] = "40",
        });
        page = await ParseAsync(await saved.Content.ReadAsStringAsync());
        Assert.Null(page.QuerySelector("#masalah"));
        Assert.NotNull(page.QuerySelector("#disimpan"));

        // Program detail: recipients, their history, a budget.
        var detail = await ParseAsync(await client.GetStringAsync("/Program/PKH"));
        Assert.InRange(detail.QuerySelectorAll("#penerima tbody tr").Length, 1, Tuntas.Programs.ListEnrollments.PageSize);
        Assert.NotEmpty(detail.QuerySelectorAll("#penerima .riwayat div"));
        var budget = await client.PostAsync("/Program/PKH?handler=Anggaran", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(client, "/Program/PKH"),
            ["BudgetYear"] = "2030",
            ["BudgetAmount"] = "Rp 1,5 M",
        }));
        page = await ParseAsync(await budget.Content.ReadAsStringAsync());
        Assert.Contains("1.500.000.000", page.QuerySelector("#anggaran")!.TextContent, StringComparison.Ordinal);

        var overlap = await ParseAsync(await client.GetStringAsync("/Program/TumpangTindih"));
        int programs;
        await using (var db = app.Database.CreateDb())
        {
            programs = await db.Programs.CountAsync();
        }
        Assert.Equal(programs, overlap.QuerySelectorAll("#matriks tbody tr").Length);
        Assert.NotEqual("0", overlap.QuerySelector("#keluarga-menerima")!.TextContent.Trim());

        var none = await ParseAsync(await client.GetStringAsync("/Program/Galat"));
        Assert.NotNull(none.QuerySelector("#tanpa-penargetan"));
        // Before any run the model-based figures say so instead of showing a number.
        var beforeRun = await ParseAsync(await client.GetStringAsync("/Program/PKH"));
        Assert.Equal("—", beforeRun.QuerySelector("#angka-layak")!.TextContent.Trim());
        Assert.Contains("belum ada penargetan", beforeRun.QuerySelector("#angka-program")!.TextContent, StringComparison.Ordinal);

        var run = await PostFormAsync(client, "/Penargetan", new() { ["DecileModel"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, run.StatusCode);
        var response = await client.GetAsync("/Program/Galat");
        Assert.True(response.Headers.CacheControl?.NoStore);
        var errors = await ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.NotEmpty(errors.QuerySelectorAll("#galat-kabupaten tbody tr"));
        var villages = await ParseAsync(await client.GetStringAsync("/Program/Galat?program=PKH"));
        Assert.NotEmpty(villages.QuerySelectorAll("#galat-desa tbody tr"));
        await ProgramFiguresSayWhatTheyCountAsync(app, client);

        var xlsx = await client.GetAsync(errors.QuerySelector("#unduh-xlsx")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.True(xlsx.Headers.CacheControl?.NoStore);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        var csv = await client.GetStringAsync(errors.QuerySelector("#unduh-csv")!.GetAttribute("href"));
        Assert.StartsWith(string.Join(',', ExportErrorWorklist.Header), csv, StringComparison.Ordinal);

        // A village operator sees only their village.
        var operatorClient = await app.SignInAsVillageOperatorAsync();
        var own = await ParseAsync(await operatorClient.GetStringAsync("/Program/Galat?program=PKH&wilayah=33.14"));
        Assert.All(own.QuerySelectorAll("#galat-desa tbody tr td:first-child"), td => Assert.Equal(Keden, td.TextContent));
        var opCsv = await operatorClient.GetStringAsync("/Program/Galat?handler=Unduh&format=csv");
        Assert.All(opCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), line => Assert.Contains(Keden, line, StringComparison.Ordinal));
    }

    /// <summary>
    /// "Enroll this list" after a match without errors commits the very file checked, without a second upload (a slow
    /// connection, and no chance of choosing another file), once, and only for its uploader and that program.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_checked_list_is_enrolled_by_its_uploader_without_a_second_upload_and_only_once(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        await app.AddUserAsync("koordinator.kabupaten", "rahasia-tkpkd-kab-123", Roles.TkpkdCoordinator);
        var other = await app.SignInAsync("koordinator.kabupaten", "rahasia-tkpkd-kab-123");
        var (_, nik, nama) = await UnenrolledPersonAsync(app);
        var before = await EnrollmentCountAsync(app);
        var url = $"/Program/{ProgramCode}";
        async Task<AngleSharp.Dom.IDocument> EnrollAsync(HttpClient who, string token, string program = ProgramCode)
        {
            var response = await who.PostAsync($"/Program/{program}?handler=Daftarkan", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await TokenAsync(who, $"/Program/{program}"),
                ["berkas"] = token,
            }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await ParseAsync(await response.Content.ReadAsStringAsync());
        }

        var dry = await UploadAsync(client, ListCsv(nik, nama, "Rp 1,5 jt"), dryRun: true);
        var token = dry.QuerySelector("#daftarkan-berkas input[name=berkas]")!.GetAttribute("value")!;
        var withErrors = await UploadAsync(client, $"NIK,NAMA\n12345,SIAPA\n", dryRun: true);
        var byAnother = await EnrollAsync(other, token);
        var intoAnotherProgram = await EnrollAsync(client, token, "BPNT");
        Assert.Equal(before, await EnrollmentCountAsync(app));
        // Two posts of the one token at once (a double click): one enrolls, the other finds nothing.
        var both = await Task.WhenAll(EnrollAsync(client, token), EnrollAsync(client, token));
        var enrolled = Assert.Single(both, page => page.QuerySelector("#hasil-impor") is not null);
        var again = Assert.Single(both, page => page.QuerySelector("#hasil-impor") is null);

        Assert.Null(withErrors.QuerySelector("#daftarkan-berkas"));
        Assert.Null(byAnother.QuerySelector("#laporan"));
        Assert.Contains("tidak ada lagi", byAnother.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Null(intoAnotherProgram.QuerySelector("#laporan"));
        Assert.Contains("tidak ada lagi", intoAnotherProgram.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", enrolled.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        Assert.Contains("bnba-bltdd.csv", enrolled.QuerySelector("#laporan h2")!.TextContent, StringComparison.Ordinal);
        Assert.Null(enrolled.QuerySelector("#daftarkan-berkas"));
        Assert.Equal(before + 1, await EnrollmentCountAsync(app));
        Assert.Contains("tidak ada lagi", again.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before + 1, await EnrollmentCountAsync(app));
        var uploads = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Tuntas.Web.Imports.UploadOptions>(app.Services).Folder;
        Assert.Empty(Directory.EnumerateFiles(uploads, "*" + token + "*"));
        await using var db = app.Database.CreateDb();
        Assert.Contains(await db.AuditLog.AsNoTracking().Where(e => e.Action == Tuntas.Audit.AuditActions.Import).Select(e => e.Detail).ToListAsync(),
            detail => detail!.Contains("handler=Daftarkan", StringComparison.Ordinal) && detail.Contains("penerima bnba-bltdd.csv: 1 baru", StringComparison.Ordinal));
    }

    /// <summary>
    /// A SIKS-NG phase list (TAHAP and NOMINAL, the month only in its title) matched on the program page with the month
    /// given on the form, then enrolled by "enroll this list": the payment is recorded in the month the match showed,
    /// which was kept with the file. The API takes the month as <c>period</c>.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_phase_list_without_a_month_is_matched_and_enrolled_with_the_month_given_on_the_form(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var (familyId, nik, nama) = await UnenrolledPersonAsync(app);
        var month = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture) + "-05";
        var csv = $"DAFTAR PENERIMA TAHAP 2\nNIK_KTP,NAMA_PENERIMA,TAHAP,NOMINAL\n{nik},{nama},2,750000\n";

        var without = await UploadAsync(client, csv, dryRun: true);
        var dry = await UploadAsync(client, csv, dryRun: true, period: month);
        var token = dry.QuerySelector("#daftarkan-berkas input[name=berkas]")!.GetAttribute("value")!;
        var enrolled = await client.PostAsync($"/Program/{ProgramCode}?handler=Daftarkan", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(client, $"/Program/{ProgramCode}"),
            ["berkas"] = token,
        }));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "tahap-2.csv" } };
        var api = await (await client.PostAsync($"/api/programs/{ProgramCode}/recipients?dryRun=true&period={month}", form)).Content.ReadFromJsonAsync<JsonElement>();
        using var again = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "tahap-2.csv" } };
        var wrongPeriod = await client.PostAsync($"/api/programs/{ProgramCode}/recipients?dryRun=false&period=2026-5", again);
        Assert.Equal(HttpStatusCode.BadRequest, wrongPeriod.StatusCode);
        Assert.Contains("PERIOD_FORMAT", await wrongPeriod.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Null(without.QuerySelector("#daftarkan-berkas"));
        Assert.Contains("saat mengunggah", without.QuerySelector("#laporan")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(month, dry.QuerySelector("#periode-dipakai")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var page = await ParseAsync(await enrolled.Content.ReadAsStringAsync());
        Assert.Equal("1", page.QuerySelector("#hasil-impor")!.GetAttribute("data-committed"));
        Assert.Contains(month, page.QuerySelector("#periode-dipakai")!.TextContent, StringComparison.Ordinal);
        Assert.Equal((month, 1), (api.GetProperty("period").GetString(), api.GetProperty("periodGiven").GetInt32()));
        await using var db = app.Database.CreateDb();
        var paid = await db.Disbursements.Join(db.Enrollments, d => d.EnrollmentId, e => e.Id, (d, e) => new { e.FamilyId, d.Period, d.Tahap, d.Amount })
            .Where(x => x.FamilyId == familyId).ToListAsync();
        Assert.Equal((month, (int?)2, 750_000L), (Assert.Single(paid).Period, paid[0].Tahap, paid[0].Amount));
    }

    /// <summary>
    /// A kecamatan's TKPKD coordinator matching the regency's list on the program page and through the API: a recipient
    /// of another kecamatan is counted as outside the area, and neither the page nor the API names them as registered.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_kecamatan_coordinator_matches_a_list_without_reading_other_kecamatan_recipients(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        string kecamatan;
        (string Nik, string Nama) inside, outside;
        await using (var db = app.Database.CreateDb())
        {
            var heads = await db.Persons.Where(p => p.HubunganKk == 1).OrderBy(p => p.Id)
                .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Nama, f.KodeDesa }).Take(2000).ToListAsync();
            kecamatan = heads[0].KodeDesa[..8];
            inside = (heads[0].Nik, heads[0].Nama);
            var other = heads.First(h => !h.KodeDesa.StartsWith(kecamatan, StringComparison.Ordinal));
            outside = (other.Nik, other.Nama);
        }
        await app.AddUserAsync("koordinator.kecamatan", "rahasia-tkpkd-kec-123", Roles.TkpkdCoordinator, kecamatan);
        var client = await app.SignInAsync("koordinator.kecamatan", "rahasia-tkpkd-kec-123");
        var csv = $"NIK,NAMA\n{inside.Nik},{inside.Nama}\n{outside.Nik},Siapa Saja\n";

        var page = await UploadAsync(client, csv, dryRun: true);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "bnba.csv" } };
        var api = await (await client.PostAsync($"/api/programs/{ProgramCode}/recipients?dryRun=true", form)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(1, Count(page, "outsideScope"));
        var row = page.QuerySelector("#baris-laporan tr.outsideScope")!;
        Assert.Equal("outsideScope", row.QuerySelector("[data-status]")!.GetAttribute("data-status"));
        Assert.DoesNotContain(outside.Nama, page.QuerySelector("#laporan")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, api.GetProperty("outsideScope").GetInt32());
        Assert.DoesNotContain(outside.Nama, api.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Api_lists_uploads_and_refuses_roles_without_rights(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateBrowser().GetAsync("/api/programs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateBrowser().PostAsJsonAsync("/api/programs", new { })).StatusCode);

        var admin = await app.SignInAsAdministratorAsync();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/programs");
        Assert.Contains(list.EnumerateArray(), p => p.GetProperty("code").GetString() == "PKH");

        var (familyId, nik, nama) = await UnenrolledPersonAsync(app);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(ListCsv(nik, nama, "Rp 1,5 jt"))), "file", "bnba.csv" } })
        {
            var upload = await admin.PostAsync($"/api/programs/{ProgramCode}/recipients?dryRun=true", form);
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
            var report = await upload.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var name in new[] { "matched", "nameMismatch", "notFound", "duplicates", "rows" })
            {
                Assert.True(report.TryGetProperty(name, out _), name);
            }
            Assert.Equal(1, report.GetProperty("matched").GetInt32());
            Assert.Equal(1, report.GetProperty("notFound").GetInt32());
            Assert.Equal(1, report.GetProperty("duplicates").GetInt32());
            Assert.False(report.GetProperty("committed").GetBoolean());
        }

        var bad = await admin.PostAsJsonAsync("/api/programs", new { code = "x", amount = "1,500" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issues").GetArrayLength() >= 5);
        var budget = await admin.PutAsJsonAsync("/api/programs/PKH/budgets/2030", new { amount = "1.500.000.000" });
        Assert.Equal(1_500_000_000, (await budget.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amount").GetInt64());

        var enrollments = await admin.GetFromJsonAsync<JsonElement>("/api/programs/PKH/enrollments?page=1");
        Assert.Equal(50, enrollments.GetProperty("items").GetArrayLength());
        var enrollmentId = enrollments.GetProperty("items")[0].GetProperty("id").GetInt64();
        var noReason = await admin.PostAsJsonAsync($"/api/enrollments/{enrollmentId}/status", new { status = "keluar" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var exited = await admin.PostAsJsonAsync($"/api/enrollments/{enrollmentId}/status", new { status = "keluar", reason = "pindah" });
        Assert.Equal(HttpStatusCode.OK, exited.StatusCode);
        Assert.Equal(2, (await exited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("history").GetArrayLength());

        var assistance = await admin.GetFromJsonAsync<JsonElement>($"/api/families/{familyId}/assistance");
        Assert.Equal(0, assistance.GetProperty("lines").GetArrayLength());
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/programs/overlap")).GetProperty("familiesReceivingAny").GetInt32() > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/programs/errors")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/targeting/runs", new { })).StatusCode);
        var counts = await admin.GetFromJsonAsync<JsonElement>("/api/programs/errors?program=PKH");
        Assert.True(counts.GetProperty("worklist").GetInt32() > 0);
        var worklist = await admin.GetAsync("/api/programs/errors/worklist?format=xlsx");
        Assert.Equal("PK", Encoding.ASCII.GetString((await worklist.Content.ReadAsByteArrayAsync())[..2]));
        var realization = await admin.GetFromJsonAsync<JsonElement>($"/api/programs/realization?year={DateTime.UtcNow.Year}");
        Assert.NotEqual(0, realization.GetProperty("programs").GetArrayLength());

        // A village operator reads but may not write, and sees families of their village only.
        var villageOperator = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await villageOperator.GetAsync("/api/programs")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await villageOperator.PostAsJsonAsync("/api/programs", new { code = "X1" })).StatusCode);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(ListCsv(nik, nama, "1"))), "file", "bnba.csv" } })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await villageOperator.PostAsync($"/api/programs/{ProgramCode}/recipients?dryRun=true", form)).StatusCode);
        }
        var scoped = await villageOperator.GetFromJsonAsync<JsonElement>("/api/programs/PKH/enrollments");
        Assert.All(scoped.GetProperty("items").EnumerateArray(), e => Assert.Equal(Keden, e.GetProperty("kodeDesa").GetString()));
        var key = await app.AddApiClientAsync(Roles.Partner);
        var machine = app.CreateBrowser();
        machine.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, key);
        Assert.Equal(HttpStatusCode.Forbidden, (await machine.PutAsJsonAsync("/api/programs/PKH/budgets/2030", new { amount = "1" })).StatusCode);

        var openApi = await app.CreateBrowser().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/programs/{code}/recipients", openApi, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Recipients_are_masked_for_every_role_narrowed_by_name_and_village_and_revealed_only_by_an_audited_action(string provider)
    {
        await using var app = await CreateWithDemoAsync(provider);
        static bool FullNik(string text) => text.Trim().Length == 16 && text.Trim().All(char.IsAsciiDigit);
        static string[] Column(AngleSharp.Dom.IDocument page, int column) =>
            [.. page.QuerySelectorAll("#penerima tbody tr").Select(r => r.Children[column].TextContent.Trim())];

        // An administrator may see full identifiers, yet the list masks them until asked.
        var admin = await app.SignInAsAdministratorAsync();
        var page = await ParseAsync(await admin.GetStringAsync("/Program/PKH"));
        Assert.Equal(50, Column(page, 2).Length);
        Assert.All(Column(page, 2).Concat(Column(page, 3)), cell => Assert.False(FullNik(cell), cell));

        // Narrowed by a recipient's name as a village operator might misspell it, and by the recipient's village.
        var first = page.QuerySelector("#penerima tbody tr")!;
        var name = first.Children[1].TextContent.Trim();
        var village = first.Children[4].TextContent.Trim();
        var misspelt = name.ToUpperInvariant().Replace("U", "OE", StringComparison.Ordinal);
        var narrowed = await ParseAsync(await (await PostFormAsync(admin, "/Program/PKH", new() { ["Cari"] = misspelt, ["wilayah"] = village, ["urut"] = "nama" }))
            .Content.ReadAsStringAsync());
        Assert.Contains(name, Column(narrowed, 1));
        Assert.All(Column(narrowed, 4), v => Assert.Equal(village, v));
        Assert.True(Column(narrowed, 1).Length < 50);
        var byDistrict = await ParseAsync(await (await PostFormAsync(admin, "/Program/PKH", new() { ["wilayah"] = village[..8] })).Content.ReadAsStringAsync());
        Assert.All(Column(byDistrict, 4), v => Assert.StartsWith(village[..8] + ".", v, StringComparison.Ordinal));

        // The reveal shows the page asked, in full, and is one entry of the audit trail naming the list.
        var token = (await ParseAsync(await admin.GetStringAsync("/Program/PKH"))).QuerySelector("#saring-penerima input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var revealed = await admin.PostAsync("/Program/PKH?handler=BukaNik", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["daftar"] = "program PKH",
            ["hal"] = "2",
        }));
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        var shown = await ParseAsync(await revealed.Content.ReadAsStringAsync());
        Assert.NotNull(shown.QuerySelector("#nik-dibuka"));
        Assert.All(Column(shown, 3), cell => Assert.True(FullNik(cell), cell));
        await using (var db = app.Database.CreateDb())
        {
            var entry = await db.AuditLog.AsNoTracking().SingleAsync(e => e.Action == AuditActions.RevealNik);
            Assert.Equal(("daftar", "program PKH"), (entry.SubjectType, entry.SubjectId));
            Assert.Contains("hal 2", entry.Detail, StringComparison.Ordinal);
        }

        // A role that may not see full identifiers is refused the reveal, and the API masks unless full=true is asked by a role that may.
        var officer = await app.SignInAsAgencyOfficerAsync();
        var officerToken = (await ParseAsync(await officer.GetStringAsync("/Program/PKH"))).QuerySelector("#saring-penerima input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var refused = await officer.PostAsync("/Program/PKH?handler=BukaNik", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = officerToken,
            ["daftar"] = "program PKH",
        }));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        var masked = await admin.GetFromJsonAsync<JsonElement>("/api/programs/PKH/enrollments");
        Assert.All(masked.GetProperty("items").EnumerateArray(), e => Assert.False(FullNik(e.GetProperty("noKk").GetString()!)));
        var full = await admin.GetFromJsonAsync<JsonElement>($"/api/programs/PKH/enrollments?full=true&region={village}");
        Assert.All(full.GetProperty("items").EnumerateArray(), e =>
        {
            Assert.True(FullNik(e.GetProperty("noKk").GetString()!));
            Assert.Equal(village, e.GetProperty("kodeDesa").GetString());
        });
        var officerFull = await officer.GetFromJsonAsync<JsonElement>("/api/programs/PKH/enrollments?full=true");
        Assert.All(officerFull.GetProperty("items").EnumerateArray(), e => Assert.False(FullNik(e.GetProperty("noKk").GetString()!)));
        await using (var db = app.Database.CreateDb())
        {
            Assert.Contains(await db.AuditLog.AsNoTracking().Where(e => e.SubjectType == "program").Select(e => e.Detail).ToListAsync(),
                d => d != null && d.Contains("NIK lengkap", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The program page's headline figures say what they count and from which run (number, date, model), agree with the
    /// registry and the error report, and the regency's official P0 stands beside our poverty figure as another measure;
    /// a village operator's figures are their village's.
    /// </summary>
    private static async Task ProgramFiguresSayWhatTheyCountAsync(TuntasWebFactory app, HttpClient client)
    {
        long runId;
        int recipients, villageRecipients;
        await using (var db = app.Database.CreateDb())
        {
            runId = await db.TargetingRuns.MaxAsync(r => r.Id);
            var pkh = await db.Programs.Where(p => p.Code == "PKH").Select(p => p.Id).SingleAsync();
            var open = db.Enrollments.Where(e => e.ProgramId == pkh && e.Status != ProgramTerms.Exited);
            recipients = await open.Select(e => e.FamilyId).Distinct().CountAsync();
            villageRecipients = await open.Where(e => db.Families.Any(f => f.Id == e.FamilyId && f.KodeDesa == Keden)).Select(e => e.FamilyId).Distinct().CountAsync();
        }
        var id = new CultureInfo("id");
        int Number(AngleSharp.Dom.IDocument page, string selector) => int.Parse(page.QuerySelector(selector)!.TextContent.Trim(), NumberStyles.AllowThousands, id);
        // The error report's regency row for the program: recipients, eligible, recipients not eligible.
        var report = await ParseAsync(await client.GetStringAsync("/Program/Galat?program=PKH"));
        var row = report.QuerySelectorAll("#galat-kabupaten tbody tr").Single(tr => tr.QuerySelector("td")!.TextContent.Trim() == "PKH")
            .QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        var detail = await ParseAsync(await client.GetStringAsync("/Program/PKH"));
        var figures = detail.QuerySelector("#angka-program")!;
        Assert.Contains("Kabupaten Sragen", figures.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(recipients, Number(detail, "#angka-penerima"));
        Assert.Equal(row[2], detail.QuerySelector("#angka-layak")!.TextContent.Trim());
        Assert.Equal(row[3], detail.QuerySelector("#angka-inklusi")!.TextContent.Trim());
        // The model-based figures name their run by number, reference date and decile model.
        var source = detail.QuerySelector("#angka-layak")!.ParentElement!.QuerySelector("small.source")!.TextContent;
        Assert.Contains($"penargetan #{runId}", source, StringComparison.Ordinal);
        Assert.Contains("tanggal acuan", source, StringComparison.Ordinal);
        Assert.Contains("model", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Targeting.Kind", source, StringComparison.Ordinal);
        // Our poverty figure and BPS's P0 for the regency (Maret 2025: 11.22 %), labelled as a different measure.
        Assert.Contains("14 kriteria", detail.QuerySelector("#angka-kemiskinan")!.TextContent, StringComparison.Ordinal);
        var p0 = detail.QuerySelector("#angka-kemiskinan #p0-resmi")!.TextContent;
        Assert.Contains("11,22", p0, StringComparison.Ordinal);
        Assert.Contains("Susenas Maret 2025", p0, StringComparison.Ordinal);
        Assert.Contains("ukuran lain", p0, StringComparison.Ordinal);
        Assert.NotNull(detail.QuerySelector("#ukuran-berbeda"));
        // The same figures on the error report's page: the run with its model, and P0 beside decile 1.
        Assert.Contains($"#{runId}", report.QuerySelector("#sumber-galat")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Targeting.Kind", report.QuerySelector("#sumber-galat")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("11,22", report.QuerySelector("#p0-resmi")!.TextContent, StringComparison.Ordinal);
        // The home page names the run's model too, and shows the official rate beside our cards.
        var home = await ParseAsync(await client.GetStringAsync("/"));
        Assert.Contains("11,22", home.QuerySelector("#p0-resmi")!.TextContent, StringComparison.Ordinal);

        var operatorClient = await app.SignInAsVillageOperatorAsync();
        var own = await ParseAsync(await operatorClient.GetStringAsync("/Program/PKH"));
        Assert.DoesNotContain("Kabupaten Sragen", own.QuerySelector("#angka-program h2")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(villageRecipients, Number(own, "#angka-penerima"));
    }

    private static async Task<int> EnrollmentCountAsync(TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        return await db.Enrollments.CountAsync();
    }
}
