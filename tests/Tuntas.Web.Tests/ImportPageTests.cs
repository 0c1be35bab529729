using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// Upload → background job → result, through the real <see cref="ImportFamilies"/>. These need the import use case from
/// the import branch: with the temporary contract class they fail (NotSupportedException → job "gagal"), by design.
/// </summary>
public sealed class ImportPageTests
{
    private static readonly string[] _columns =
    [
        "KODE_DESA", "NO_KK", "ALAMAT", "RT", "RW", "STATUS_BANGUNAN", "LUAS_LANTAI", "JENIS_LANTAI", "JENIS_DINDING", "JENIS_ATAP",
        "SUMBER_AIR_MINUM", "SUMBER_PENERANGAN", "DAYA_LISTRIK", "BAHAN_BAKAR_MASAK", "FASILITAS_BAB", "ASET_TV", "DESIL_NASIONAL",
        "NIK", "NAMA", "JENIS_KELAMIN", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN", "DISABILITAS",
    ];

    private static string Row(string noKk, string nik, string nama, int sex, DateOnly birth, int hubungan) =>
        string.Join(',',
            Keden, noKk, "Dukuh Krajan", "001", "002", "1", "36", "8", "4", "2",
            "5", "1", "450", "4", "1", "1", "1",
            nik, nama, sex.ToString(CultureInfo.InvariantCulture), "Sragen", birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            hubungan.ToString(CultureInfo.InvariantCulture), hubungan is 1 or 3 ? "2" : "1", "3", "0");

    private static (string Csv, string NoKk, string HeadNik) ValidCsv()
    {
        var noKk = NoKk.Compose("331401", new DateOnly(2016, 8, 1), 4321);
        var head = Nik.Compose("331401", new DateOnly(1979, 9, 12), 1, 1001);
        var wife = Nik.Compose("331401", new DateOnly(1983, 1, 20), 2, 1002);
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', _columns));
        csv.AppendLine(Row(noKk, head, "Bambang Riyadi", 1, new DateOnly(1979, 9, 12), 1));
        csv.AppendLine(Row(noKk, wife, "Siti Nurhaliza", 2, new DateOnly(1983, 1, 20), 3));
        return (csv.ToString(), noKk, head);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string fileName, string content, bool dryRun = false) =>
        UploadAsync(client, fileName, Encoding.UTF8.GetBytes(content), dryRun);

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string fileName, byte[] content, bool dryRun = false,
        Dictionary<string, string>? fields = null)
    {
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "Upload", fileName },
        };
        if (dryRun)
        {
            form.Add(new StringContent("true"), "DryRun");
        }
        foreach (var (name, value) in fields ?? [])
        {
            form.Add(new StringContent(value), name);
        }
        return await client.PostAsync("/Impor", form);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_uploads_the_villages_OpenSID_workbook_as_it_is(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        Assert.NotNull(page.QuerySelector("select#Profile option[value=opensid-penduduk]"));
        var workbook = await File.ReadAllBytesAsync(OpenSidFileBuilder.Village().WriteXlsx(extension: ".xlsm"));

        var response = await UploadAsync(client, "FormatImporExcel.xlsm", workbook, fields: new() { ["Profile"] = "opensid-penduduk" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (status, html) = await WaitForJobAsync(client, response.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Committed, status);
        Assert.Contains("OpenSID", (await ParseAsync(html)).QuerySelector("#profil")!.TextContent, StringComparison.Ordinal);
        await using var db = app.Database.CreateDb();
        // The file has no village: the operator's own is used.
        Assert.Equal(3, await db.Families.CountAsync(f => f.KodeDesa == Keden));
        Assert.Equal(1, await db.Persons.CountAsync(p => p.NikSementara));
    }

    /// <summary>
    /// A KK split in the village: the son marries and heads a KK of his own, and the village's next OpenSID export lists
    /// him there. OpenSID's file has no PINDAH column, so without the upload's move choice the file is refused, the
    /// message naming the choice; with it (the form's tick, the API's allowMoves) he moves, and the job says so.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_KK_split_in_an_OpenSID_file_needs_the_move_choice_on_the_form_and_the_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        var village = OpenSidFileBuilder.Village();
        var first = await UploadAsync(client, "penduduk.csv", await File.ReadAllBytesAsync(village.WriteCsv()));
        Assert.Equal(ImportJob.Committed, (await WaitForJobAsync(client, first.Headers.Location!.OriginalString)).Status);
        var son = village.Rows.Single(r => r["nama"] == "Bagus Prasetyo");
        (son["no_kk"], son["kk_level"], son["status_kawin"]) = (OpenSidFileBuilder.NoKk(4), "1", "2");
        village.Person(4, "Rina Marlina", "2", new DateOnly(2006, 6, 6), "3", "2", "5");
        var split = await File.ReadAllBytesAsync(village.WriteCsv());

        var refused = await UploadAsync(client, "penduduk-juni.csv", split);
        var (status, html) = await WaitForJobAsync(client, refused.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Rejected, status);
        Assert.Contains("NIK_OTHER_FAMILY", html, StringComparison.Ordinal);
        Assert.Contains("pilihan pindah KK", html, StringComparison.Ordinal);
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        Assert.NotNull(page.QuerySelector("input#AllowMoves[type=checkbox][name=AllowMoves]"));

        var moved = await UploadAsync(client, "penduduk-juni.csv", split, fields: new() { ["AllowMoves"] = "true" });
        (status, html) = await WaitForJobAsync(client, moved.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Committed, status);
        Assert.NotNull((await ParseAsync(html)).QuerySelector("#pindah-diterima"));
        Assert.Contains("PERSON_MOVE", html, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            var family = await db.Persons.Where(p => p.Nik == son["nik"]).Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => f.NoKk).SingleAsync();
            Assert.Equal(OpenSidFileBuilder.NoKk(4), family);
            Assert.True(await db.ImportJobs.AnyAsync(j => j.AllowMoves && j.Status == ImportJob.Committed));
        }

        // The API: the form field allowMoves, and the job's view says it (a dry run of the same file, now unchanged).
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(split), "file", "penduduk-juni.csv" },
            { new StringContent("true"), "dryRun" },
            { new StringContent("true"), "allowMoves" },
        };
        var accepted = await client.PostAsync("/api/families/import", form);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await client.GetFromJsonAsync<JsonElement>(accepted.Headers.Location);
        Assert.True(job.GetProperty("allowMoves").GetBoolean());

        // A script that sends 1 for a boolean learns which field and what it takes, not a bare 400.
        using var one = new MultipartFormDataContent
        {
            { new ByteArrayContent(split), "file", "penduduk-juni.csv" },
            { new StringContent("1"), "allowMoves" },
        };
        var unreadable = await client.PostAsync("/api/families/import", one);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        var problem = await unreadable.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("allowMoves tidak dapat dibaca: isi true atau false / allowMoves could not be read: send true or false",
            problem.GetProperty("errors").GetProperty("allowMoves")[0].GetString());
    }

    /// <summary>
    /// The villages' checklist: after a village operator's OpenSID file, the operator sees their village with its families
    /// and that import; the administrator sees every village of the regency, the filter of villages without data, and
    /// the same through the API.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_villages_page_shows_which_villages_have_sent_their_file(string provider)
    {
        await using var app = await CreateAsync(provider);
        var village = await app.SignInAsVillageOperatorAsync();
        var upload = await UploadAsync(village, "penduduk.csv", await File.ReadAllBytesAsync(OpenSidFileBuilder.Village().WriteCsv()));
        Assert.Equal(ImportJob.Committed, (await WaitForJobAsync(village, upload.Headers.Location!.OriginalString)).Status);
        var jobId = upload.Headers.Location!.OriginalString["/Impor/".Length..];

        Assert.NotNull((await ParseAsync(await village.GetStringAsync("/Impor"))).QuerySelector("a#data-desa[href='/Impor/Desa']"));
        var own = await ParseAsync(await village.GetStringAsync("/Impor/Desa"));
        var row = Assert.Single(own.QuerySelectorAll("#desa-impor tbody tr"));
        Assert.Equal(Keden, row.GetAttribute("data-code"));
        Assert.Equal("3", row.QuerySelectorAll("td")[3].TextContent.Trim());
        Assert.Equal($"/Impor/{jobId}", row.QuerySelector("td.terakhir a")!.GetAttribute("href"));

        var admin = await app.SignInAsAdministratorAsync();
        var all = await ParseAsync(await admin.GetStringAsync("/Impor/Desa"));
        int villages;
        await using (var db = app.Database.CreateDb())
        {
            villages = await db.Regions.CountAsync(r => r.Level == Tuntas.Regions.Region.Village && r.Code.StartsWith("33.14."));
        }
        Assert.Equal(villages, all.QuerySelectorAll("#desa-impor tbody tr").Length);
        Assert.StartsWith($"1 dari {villages} desa", all.QuerySelector("#ringkasan")!.TextContent, StringComparison.Ordinal);
        var without = await ParseAsync(await admin.GetStringAsync("/Impor/Desa?tampil=belum"));
        Assert.Equal(villages - 1, without.QuerySelectorAll("#desa-impor tbody tr").Length);
        Assert.Null(without.QuerySelector($"#desa-impor tr[data-code='{Keden}']"));
        var refused = await ParseAsync(await admin.GetStringAsync("/Impor/Desa?tampil=ditolak"));
        Assert.NotNull(refused.QuerySelector("#kosong"));

        var json = await admin.GetFromJsonAsync<JsonElement>("/api/imports/villages");
        Assert.Equal(1, json.GetProperty("withData").GetInt32());
        var keden = json.GetProperty("villages").EnumerateArray().Single(v => v.GetProperty("code").GetString() == Keden);
        Assert.Equal(3, keden.GetProperty("families").GetInt32());
        Assert.Equal("penduduk.csv", keden.GetProperty("lastCommitted").GetProperty("fileName").GetString());
    }

    /// <summary>
    /// A file read refused because the server is reading as many as it reads at once is the request's moment, not its
    /// content: the API answers 503 with Retry-After (a client retries), not a 400 it would try to "fix". Both readers of a
    /// file in a request: the registry file's preview and the recipient list's match.
    /// </summary>
    [Fact]
    public async Task A_preview_or_recipient_match_finding_no_read_slot_is_answered_503_with_retry_after()
    {
        var gate = new Tuntas.Web.Uploads.FileReadGate(slots: 1, wait: TimeSpan.FromMilliseconds(50));
        await using var app = await TuntasWebFactory.CreateAsync(nameof(Tuntas.Data.DatabaseProvider.Sqlite), services: s => s.AddSingleton(gate));
        var client = await app.SignInAsAdministratorAsync();
        var holding = new TaskCompletionSource<string>();
        var held = gate.ReadAsync(() => holding.Task, CancellationToken.None);
        var (csv, _, _) = ValidCsv();

        using var previewForm = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "keluarga.csv" } };
        var preview = await client.PostAsync("/api/families/import/preview", previewForm);
        using var listForm = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("NIK,NAMA\n3314011209790001,Sutrisno\n")), "file", "daftar.csv" } };
        var list = await client.PostAsync("/api/programs/BLTDD/recipients?dryRun=true", listForm);
        holding.SetResult("selesai");
        await held;
        using var againForm = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "keluarga.csv" } };
        var again = await client.PostAsync("/api/families/import/preview", againForm);

        foreach (var busy in new[] { preview, list })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), busy.Headers.RetryAfter?.Delta);
            Assert.Contains("SERVER_BUSY", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>The village operator, signed in, after their village's OpenSID workbook was imported.</summary>
    private static async Task<HttpClient> VillageRegisteredAsync(TuntasWebFactory app)
    {
        var client = await app.SignInAsVillageOperatorAsync();
        var registered = await UploadAsync(client, "penduduk.xlsx", await File.ReadAllBytesAsync(OpenSidFileBuilder.Village().WriteXlsx()));
        Assert.Equal(ImportJob.Committed, (await WaitForJobAsync(client, registered.Headers.Location!.OriginalString)).Status);
        return client;
    }

    /// <summary>The village's DTKS export writes 415 = 23 and no 412 for "tidak/belum sekolah" (1) and "belum tamat SD" (2)
    /// alike; the import keeps the registry's 1. The preview (the upload page's and the API's, both through
    /// <c>ImportUploads</c>) showed 2 for both; it now shows what the import writes.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_preview_of_the_villages_DTKS_export_shows_the_registrys_never_schooled_as_the_import_keeps_them(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await VillageRegisteredAsync(app);
        await using (var db = app.Database.CreateDb())
        {
            // Mbah Painem stays tidak/belum sekolah (1); Suminah is belum tamat SD (2): both go out as 23 without 412.
            var suminah = await db.Persons.SingleAsync(p => p.Nama == "Suminah");
            suminah.Pendidikan = 2;
            suminah.RowHash = RegistryFields.PersonHash(suminah);
            await db.SaveChangesAsync();
        }
        var export = await client.GetAsync("/api/registry/export?format=dtks");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await export.Content.ReadAsByteArrayAsync()), "file", "regsosek.xlsx" } };

        var response = await client.PostAsync("/api/families/import/preview", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("opensid-dtks", json.RootElement.GetProperty("profile").GetString());
        var fields = json.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetString()).ToList();
        var shown = json.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("values"))
            .ToDictionary(v => v[fields.IndexOf("NAMA")].GetString()!, v => v[fields.IndexOf("PENDIDIKAN")].GetString()!);
        Assert.Equal(("1", "2"), (shown["Mbah Painem"], shown["Suminah"]));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_brings_the_villages_BDT_2015_answers_onto_its_registered_families(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await VillageRegisteredAsync(app);
        Dictionary<string, string> nik;
        await using (var db = app.Database.CreateDb())
        {
            nik = await db.Persons.ToDictionaryAsync(p => p.Nama, p => p.Nik);
        }
        var stranger = Nik.Compose("331401", new DateOnly(1980, 1, 1), 1, 9911);
        var bdt = Bdt2015FileBuilder.Write(
            Bdt2015FileBuilder.Row("330101000700010001", nik["Sukijo Wiryo Sumarto"], Bdt2015FileBuilder.Poor, (85, "1"), (92, "0"), (94, "2"), (97, "2"), (98, "1")),
            Bdt2015FileBuilder.Row("330101000700010001", stranger, Bdt2015FileBuilder.Poor, (85, "1"), (92, "0")));

        // No profile chosen: the template's header says what it is.
        var response = await UploadAsync(client, "contoh-data-bdt2015.xlsx", await File.ReadAllBytesAsync(bdt));

        var (status, html) = await WaitForJobAsync(client, response.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Committed, status);
        var page = await ParseAsync(html);
        Assert.Contains("BDT 2015", page.QuerySelector("#profil")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(Nik.Mask(stranger) + " tidak ada di data terpadu", page.QuerySelector("#galat")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(stranger, html, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            var family = await db.Families.SingleAsync(f => f.NoKk == OpenSidFileBuilder.NoKk(1));
            Assert.Equal((Keden, 8, 2, 10), (family.KodeDesa, family.JenisLantai, family.SumberPenerangan, family.BahanBakarMasak));
            var head = await db.Persons.SingleAsync(p => p.Nik == nik["Sukijo Wiryo Sumarto"]);
            Assert.Equal(("Sukijo Wiryo Sumarto", 4, true), (head.Nama, head.Pendidikan, head.Bekerja));
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_preview_shows_profile_mapping_and_masked_rows_and_imports_the_previewed_file(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        var (csv, noKk, headNik) = ValidCsv();
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        Assert.Equal("/Impor/Pratinjau", page.QuerySelector("button#pratinjau")!.GetAttribute("formaction"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.Replace("ALAMAT", "CATATAN_RT", StringComparison.Ordinal))), "Upload", "keluarga.csv" },
        };

        var response = await client.PostAsync("/Impor/Pratinjau", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var preview = await ParseAsync(html);
        Assert.Contains("Tuntas", preview.QuerySelector("#profil")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(preview.QuerySelectorAll("#pemetaan tbody tr"), r => r.Children[0].TextContent == "NIK" && r.Children[1].TextContent.StartsWith("NIK", StringComparison.Ordinal));
        // A column no layout knows is listed apart from the ones left out on purpose: a misspelt column stands out.
        Assert.Contains("CATATAN_RT", preview.QuerySelector("#tidak-dikenal")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("CATATAN_RT", preview.QuerySelector("#tidak-dibaca")!.TextContent, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("#tidak-bisa-diimpor"));
        Assert.Equal(2, preview.QuerySelectorAll("#baris tbody tr").Length);
        Assert.Contains("Bambang Riyadi", html, StringComparison.Ordinal);
        Assert.DoesNotContain(headNik, html, StringComparison.Ordinal);
        Assert.DoesNotContain(noKk, html, StringComparison.Ordinal);
        Assert.Contains(Nik.Mask(headNik), preview.QuerySelector("#baris")!.TextContent, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(0, await db.ImportJobs.CountAsync());
            var read = await db.AuditLog.AsNoTracking().SingleAsync(e => e.Action == Tuntas.Audit.AuditActions.ViewPersonalData && e.SubjectType == "impor");
            Assert.Contains("pratinjau keluarga.csv", read.Detail, StringComparison.Ordinal);
        }

        var next = preview.QuerySelector("form#lanjut")!;
        var fields = next.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["__RequestVerificationToken"] = preview.QuerySelector("form#lanjut input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? token;
        var queued = await client.PostAsync(next.GetAttribute("action"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, queued.StatusCode);
        var jobUrl = queued.Headers.Location!.OriginalString;
        var (status, _) = await WaitForJobAsync(client, jobUrl);
        Assert.Equal(ImportJob.Committed, status);
        var final = await client.GetStringAsync(jobUrl + "/status");
        Assert.Contains("\"finished\":true", final, StringComparison.Ordinal);
        Assert.Contains("\"rowsDone\":2", final, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            var job = await db.ImportJobs.SingleAsync();
            Assert.Equal("keluarga.csv", job.FileName);
            Assert.Equal(1, await db.Families.CountAsync(f => f.NoKk == noKk));
        }
        // A token is used once: the same form again has no file to import.
        var again = await client.PostAsync(next.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // A file the import would refuse whole (its header below a title row) is not offered for import.
        using var titled = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("DATA KELUARGA DESA KEDEN\n" + csv)), "Upload", "berjudul.csv" },
        };
        var refused = await ParseAsync(await (await client.PostAsync("/Impor/Pratinjau", titled)).Content.ReadAsStringAsync());
        Assert.Contains("HEADER_BELOW_TITLE", refused.QuerySelector("#masalah")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(refused.QuerySelector("#tidak-bisa-diimpor"));
        Assert.Null(refused.QuerySelector("form#lanjut"));
        Assert.Null(refused.QuerySelector("#pemetaan"));
    }

    /// <summary>A preview token names its uploader's file only: another user who has it (over a shoulder, in a
    /// screenshot) imported that file in their own name and scope, an administrator's regency scope for a village's file,
    /// and used it up. Now the other user is told the file is not there, and the uploader still imports it.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Another_users_preview_token_imports_nothing_and_the_uploader_still_imports_the_file(string provider)
    {
        await using var app = await CreateAsync(provider);
        var village = await app.SignInAsVillageOperatorAsync();
        var admin = await app.SignInAsAdministratorAsync();
        var (csv, noKk, _) = ValidCsv();
        var page = await ParseAsync(await village.GetStringAsync("/Impor"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "keluarga.csv" },
        };
        var preview = await ParseAsync(await (await village.PostAsync("/Impor/Pratinjau", form)).Content.ReadAsStringAsync());
        var next = preview.QuerySelector("form#lanjut")!;
        var fields = next.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        Assert.Matches("^[0-9a-f]{32}\\.csv$", fields["Previewed"]);

        var adminFields = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = (await ParseAsync(await admin.GetStringAsync("/Impor"))).QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        };
        var taken = await admin.PostAsync(next.GetAttribute("action"), new FormUrlEncodedContent(adminFields));

        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("sudah diimpor oleh permintaan sebelumnya", System.Net.WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(0, await db.ImportJobs.CountAsync());
        }
        fields["__RequestVerificationToken"] = preview.QuerySelector("form#lanjut input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? fields["__RequestVerificationToken"];
        var queued = await village.PostAsync(next.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, queued.StatusCode);
        var (status, _) = await WaitForJobAsync(village, queued.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Committed, status);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(TuntasWebFactory.OperatorUser, (await db.ImportJobs.SingleAsync()).CreatedBy);
            Assert.Equal(1, await db.Families.CountAsync(f => f.NoKk == noKk));
        }
    }

    /// <summary>
    /// Keden's OpenSID file (its NIKs issued in Kalijambe, 33.14.01) named after Karangwaru (33.14.02.2001), a village
    /// the registry does not hold yet. Read from the name alone, the village is refused in the preview and in the import
    /// before anything is written; typed by the operator, the dry run warns and passes, and its page imports the very
    /// file, once; the API does the same.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_file_whose_NIKs_say_another_kecamatan_is_stopped_unless_its_village_is_given_and_a_passed_dry_run_imports_from_its_page(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        const string Karangwaru = "33.14.02.2001";
        var file = await File.ReadAllBytesAsync(OpenSidFileBuilder.Village().WriteCsv());
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var previewForm = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "Upload", "opensid-penduduk-3314022001.csv" },
        };

        var preview = await ParseAsync(await (await client.PostAsync("/Impor/Pratinjau", previewForm)).Content.ReadAsStringAsync());

        var problem = preview.QuerySelector("#masalah")!.TextContent;
        Assert.Contains("VILLAGE_FILE_NAME_NIK_KECAMATAN", problem, StringComparison.Ordinal);
        Assert.Contains("kecamatan 33.14.01 (Kalijambe), bukan di kecamatan 33.14.02 (Plupuh)", problem, StringComparison.Ordinal);
        Assert.NotNull(preview.QuerySelector("#tidak-bisa-diimpor"));
        Assert.Null(preview.QuerySelector("form#lanjut"));

        // The API's preview says the same and never sends the file's NO_KKs whole (the preview keeps them to ask the registry).
        using var apiPreview = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "opensid-penduduk-3314022001.csv" } };
        var previewed = await (await client.PostAsync("/api/families/import/preview", apiPreview)).Content.ReadAsStringAsync();
        Assert.Contains("VILLAGE_FILE_NAME_NIK_KECAMATAN", previewed, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenSidFileBuilder.NoKk(1), previewed, StringComparison.Ordinal);
        Assert.DoesNotContain("noKks", previewed, StringComparison.OrdinalIgnoreCase);

        var named = await UploadAsync(client, "opensid-penduduk-3314022001.csv", file);
        var (status, html) = await WaitForJobAsync(client, named.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Rejected, status);
        Assert.Contains("VILLAGE_FILE_NAME_NIK_KECAMATAN", html, StringComparison.Ordinal);
        Assert.Null((await ParseAsync(html)).QuerySelector("form#impor-sekarang"));
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(0, await db.Families.CountAsync());
        }

        var dryRun = await UploadAsync(client, "opensid-penduduk-3314022001.csv", file, dryRun: true, fields: new() { ["Village"] = Karangwaru });
        var dryRunUrl = dryRun.Headers.Location!.OriginalString;
        (status, html) = await WaitForJobAsync(client, dryRunUrl);
        Assert.Equal(ImportJob.Validated, status);
        var shown = await ParseAsync(html);
        Assert.Contains("VILLAGE_NIK_KECAMATAN", shown.QuerySelector("#galat")!.TextContent, StringComparison.Ordinal);
        var importNow = shown.QuerySelector("form#impor-sekarang")!;
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = importNow.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        };

        var queued = await client.PostAsync(importNow.GetAttribute("action"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Redirect, queued.StatusCode);
        Assert.Equal(ImportJob.Committed, (await WaitForJobAsync(client, queued.Headers.Location!.OriginalString)).Status);
        await using (var db = app.Database.CreateDb())
        {
            var imported = await db.ImportJobs.OrderBy(j => j.Id).LastAsync();
            Assert.Equal(("opensid-penduduk-3314022001.csv", Karangwaru, false), (imported.FileName, imported.Village, imported.DryRun));
            Assert.True(await db.Families.AnyAsync() && await db.Families.AllAsync(f => f.KodeDesa == Karangwaru));
        }
        // Once: the dry run's page offers it no more, and the same post again is refused with the reason alone (no findings:
        // a POST is not recorded as a read of them).
        Assert.Null((await ParseAsync(await client.GetStringAsync(dryRunUrl))).QuerySelector("form#impor-sekarang"));
        var again = await ParseAsync(await (await client.PostAsync(importNow.GetAttribute("action"), new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync());
        Assert.Contains("2 jam", again.QuerySelector("#impor-ditolak")!.TextContent, StringComparison.Ordinal);
        Assert.Null(again.QuerySelector("#galat"));

        // Someone else's dry run: an administrator sees the village operator's job, but committing it is the operator's.
        var village = await app.SignInAsVillageOperatorAsync();
        var (keden, _, _) = ValidCsv();
        var theirs = (await UploadAsync(village, "keluarga-keden.csv", keden, dryRun: true)).Headers.Location!.OriginalString;
        Assert.Equal(ImportJob.Validated, (await WaitForJobAsync(village, theirs)).Status);
        Assert.NotNull((await ParseAsync(await village.GetStringAsync(theirs))).QuerySelector("form#impor-sekarang"));
        Assert.Null((await ParseAsync(await client.GetStringAsync(theirs))).QuerySelector("form#impor-sekarang"));
        var notYours = await client.PostAsync("/api/imports/" + theirs["/Impor/".Length..] + "/import", null);
        Assert.Equal(HttpStatusCode.BadRequest, notYours.StatusCode);
        Assert.Contains("UPLOAD_NOT_VALIDATED", await notYours.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await village.PostAsync("/api/imports/" + theirs["/Impor/".Length..] + "/import", null)).StatusCode);

        // The API: a dry run, then its import by the job's id; a second time is a 400 with the reason.
        using var apiForm = new MultipartFormDataContent
        {
            { new ByteArrayContent(file), "file", "penduduk.csv" },
            { new StringContent(Karangwaru), "village" },
            { new StringContent("true"), "dryRun" },
        };
        var apiDryRun = await client.PostAsync("/api/families/import", apiForm);
        var apiJob = apiDryRun.Headers.Location!.OriginalString;
        for (var attempt = 0; attempt < 120 && (await client.GetFromJsonAsync<JsonElement>(apiJob)).GetProperty("status").GetString() is ImportJob.Queued or ImportJob.Running; attempt++)
        {
            await Task.Delay(250);
        }
        var apiImport = await client.PostAsync(apiJob + "/import", null);
        Assert.Equal(HttpStatusCode.Accepted, apiImport.StatusCode);
        Assert.False((await apiImport.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dryRun").GetBoolean());
        var apiAgain = await client.PostAsync(apiJob + "/import", null);
        Assert.Equal(HttpStatusCode.BadRequest, apiAgain.StatusCode);
        Assert.Contains("UPLOAD_NOT_VALIDATED", await apiAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A job stored before file names were masked on their way in keeps its name whole: the pages and the API
    /// show it masked, as the family history does.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_older_job_named_by_a_NO_KK_is_shown_with_the_number_masked(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();
        const string NoKkInName = "3314010101210001";
        long id;
        await using (var db = app.Database.CreateDb())
        {
            var job = new ImportJob { FileName = $"KK {NoKkInName} Sutrisno.csv", Status = ImportJob.Committed, CreatedBy = "admin", ScopeRegency = true, CreatedAt = DateTime.UtcNow };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            id = job.Id;
        }

        var list = await admin.GetStringAsync("/Impor");
        var page = await admin.GetStringAsync($"/Impor/{id}");
        var api = await admin.GetStringAsync($"/api/imports/{id}");

        foreach (var shown in new[] { list, page, api })
        {
            Assert.DoesNotContain(NoKkInName, shown, StringComparison.Ordinal);
        }
        Assert.Contains("KK 3314", page, StringComparison.Ordinal);
        Assert.Contains("0001 Sutrisno.csv", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// A probe's finding: API clients were owners and actors by their name alone, and every village's key may well be
    /// called the same ("sid-operator-desa" here, "OpenSID" in a regency). The second village's key read the first's
    /// import job and committed its dry run; each key now owns its own jobs, and the audit trail tells them apart.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_api_keys_of_the_same_name_do_not_share_their_import_jobs(string provider)
    {
        await using var app = await CreateAsync(provider);
        using var keden = app.CreateBrowser();
        keden.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.VillageOperator, region: Keden));
        using var other = app.CreateBrowser();
        other.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.VillageOperator, region: "33.14.01.2002"));
        var (csv, _, _) = ValidCsv();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "keluarga-keden.csv" },
            { new StringContent("true"), "dryRun" },
        };

        var dryRun = await keden.PostAsync("/api/families/import", form);
        var job = dryRun.Headers.Location!.OriginalString;
        for (var attempt = 0; attempt < 120 && (await keden.GetFromJsonAsync<JsonElement>(job)).GetProperty("status").GetString() is ImportJob.Queued or ImportJob.Running; attempt++)
        {
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.Accepted, dryRun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(job)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Accepted, (await other.PostAsync(job + "/import", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await keden.PostAsync(job + "/import", null)).StatusCode);
        await using var db = app.Database.CreateDb();
        var owners = await db.ImportJobs.Select(j => j.CreatedBy).Distinct().ToListAsync();
        var owner = Assert.Single(owners);
        Assert.Matches(@"^api:sid-operator-desa#\d+$", owner);
    }

    private static async Task<(string Status, string Html)> WaitForJobAsync(HttpClient client, string jobUrl)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var html = await client.GetStringAsync(jobUrl);
            var status = (await ParseAsync(html)).QuerySelector("#status")!.GetAttribute("data-status")!;
            if (status is not (ImportJob.Queued or ImportJob.Running))
            {
                return (status, html);
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("import job did not finish");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Several_village_files_uploaded_at_once_are_queued_one_job_each_into_the_villages_they_are_named_after(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        Assert.True(page.QuerySelector("input#Upload")!.HasAttribute("multiple"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        OpenSidFileBuilder Village(int family)
        {
            var file = new OpenSidFileBuilder();
            file.Person(family, "Wagiman", "1", new DateOnly(1966, 6, 1), "1", "2", "3");
            file.Person(family + 1, "Poniman", "1", new DateOnly(1981, 12, 5), "1", "2", "4");
            return file;
        }
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(Village(71).ToCsv()), "Upload", "opensid-penduduk-3314012001.csv" },
            { new StringContent(Village(81).ToCsv()), "Upload", "opensid-penduduk-3314012002.csv" },
            { new StringContent("bukan berkas"), "Upload", "catatan.txt" },
        };

        var response = await client.PostAsync("/Impor", form);

        var shown = await ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains("2 berkas diantrekan", shown.QuerySelector("#antrean")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("catatan.txt", shown.QuerySelector("#antrean ul")!.TextContent, StringComparison.Ordinal);
        long[] jobs;
        await using (var db = app.Database.CreateDb())
        {
            jobs = await db.ImportJobs.OrderBy(j => j.Id).Select(j => j.Id).ToArrayAsync();
        }
        Assert.Equal(2, jobs.Length);
        foreach (var job in jobs)
        {
            Assert.Equal(ImportJob.Committed, (await WaitForJobAsync(client, "/Impor/" + job.ToString(CultureInfo.InvariantCulture))).Status);
        }
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(2, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2001"));
            Assert.Equal(2, await db.Families.CountAsync(f => f.KodeDesa == "33.14.01.2002"));
        }
        // The jobs' table says where each file went, without opening each job.
        var table = (await ParseAsync(await client.GetStringAsync("/Impor"))).QuerySelector("#pekerjaan")!.TextContent;
        Assert.Contains("33.14.01.2001", table, StringComparison.Ordinal);
        Assert.Contains("33.14.01.2002", table, StringComparison.Ordinal);

        // One village typed for several files is refused, nothing queued.
        using var typed = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(Village(91).ToCsv()), "Upload", "a.csv" },
            { new StringContent(Village(93).ToCsv()), "Upload", "b.csv" },
            { new StringContent("33.14.01.2003"), "Village" },
        };
        var refused = await ParseAsync(await (await client.PostAsync("/Impor", typed)).Content.ReadAsStringAsync());
        Assert.Contains("33140120", refused.QuerySelector("p.error")!.TextContent.Replace(".", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(2, await db.ImportJobs.CountAsync());
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Uploading_a_valid_csv_imports_the_families_in_the_background(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        var (csv, noKk, headNik) = ValidCsv();

        var response = await UploadAsync(client, "keluarga-keden.csv", csv);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var jobUrl = response.Headers.Location!.OriginalString;
        Assert.Matches("^/Impor/[0-9]+$", jobUrl);

        var (status, _) = await WaitForJobAsync(client, jobUrl);
        Assert.Equal(ImportJob.Committed, status);
        await using (var db = app.Database.CreateDb())
        {
            var family = await db.Families.SingleAsync(f => f.NoKk == noKk);
            Assert.Equal(2, await db.Persons.CountAsync(p => p.FamilyId == family.Id));
            var job = await db.ImportJobs.SingleAsync();
            Assert.Null(job.StoredPath);
            Assert.NotNull(job.FinishedAt);
            // What the job wrote is in the audit trail under the user who sent the file, as a CLI import's is.
            var written = await db.AuditLog.AsNoTracking().SingleAsync(e => e.Action == Tuntas.Audit.AuditActions.Import && e.SubjectType == "impor");
            Assert.Equal((job.CreatedBy, job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), (written.Actor, written.SubjectId));
            Assert.Contains("disimpan; keluarga +1", written.Detail, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.Exists(app.UploadFolder) ? Directory.GetFiles(app.UploadFolder) : []);

        // A preview left for more than two hours (it holds residents' names) is gone after the next job at the latest.
        var forgotten = Path.Combine(app.UploadFolder, "pratinjau-" + new string('a', 32) + ".csv");
        await File.WriteAllTextAsync(forgotten, csv);
        File.SetLastWriteTimeUtc(forgotten, DateTime.UtcNow.AddHours(-3));
        var fresh = Path.Combine(app.UploadFolder, "pratinjau-" + new string('b', 32) + ".csv");
        await File.WriteAllTextAsync(fresh, csv);
        var next = await UploadAsync(client, "keluarga-keden.csv", csv, dryRun: true);
        Assert.Equal(ImportJob.Validated, (await WaitForJobAsync(client, next.Headers.Location!.OriginalString)).Status);
        Assert.False(File.Exists(forgotten));
        Assert.True(File.Exists(fresh));

        var search = await PostFormAsync(client, "/Keluarga/Cari", new() { ["Query"] = headNik });
        Assert.Contains("Bambang Riyadi", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var report = await client.GetStringAsync(jobUrl + "/laporan.json");
        Assert.Equal(1, ImportReport.FromJson(report)!.Families.Added);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Uploading_a_file_with_errors_rejects_the_job_and_offers_the_error_csv(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var (csv, noKk, _) = ValidCsv();
        var lines = csv.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        lines.Add(Row(noKk, "33140112037", "Rudi Hartono", 1, new DateOnly(2012, 2, 2), 4)); // row 4: NIK too short
        var response = await UploadAsync(client, "keluarga-salah.csv", string.Join("\n", lines) + "\n");
        var jobUrl = response.Headers.Location!.OriginalString;

        var (status, html) = await WaitForJobAsync(client, jobUrl);
        Assert.Equal(ImportJob.Rejected, status);
        Assert.Contains("NIK_FORMAT", html, StringComparison.Ordinal);
        // Its counts are what would be written, and the page says that nothing was.
        Assert.Contains("id=\"tidak-ditulis\"", html, StringComparison.Ordinal);
        var errors = await client.GetAsync(jobUrl + "/galat.csv");
        Assert.Equal(HttpStatusCode.OK, errors.StatusCode);
        var text = await errors.Content.ReadAsStringAsync();
        Assert.StartsWith("row,column,value,code,message,message_en", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        // Even a NIK too short to be one is shown masked: it is most of someone's NIK.
        Assert.Contains("4,NIK,3314•••••••,NIK_FORMAT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("33140112037", text, StringComparison.Ordinal);
        await using var db = app.Database.CreateDb();
        Assert.False(await db.Families.AnyAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_cannot_import_families_of_another_village(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        var (csv, _, _) = ValidCsv();
        var response = await UploadAsync(client, "keluarga-trobayan.csv", csv.Replace(Keden + ",", Trobayan + ",", StringComparison.Ordinal));
        var (status, html) = await WaitForJobAsync(client, response.Headers.Location!.OriginalString);
        Assert.Equal(ImportJob.Rejected, status);
        Assert.Contains("KODE_DESA_OUTSIDE_SCOPE", html, StringComparison.Ordinal);
        await using var db = app.Database.CreateDb();
        Assert.False(await db.Families.AnyAsync());
    }
}
