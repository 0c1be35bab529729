using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.FieldCollection;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Verivali;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests.OpenRosa;

/// <summary>
/// ODK Collect's conversation with Tuntas over OpenRosa 1.0, request by request as Collect makes it: form list, form,
/// manifest, media, HEAD and POST of submissions with a photo; every refusal an OpenRosa message, nothing half-stored.
/// </summary>
public sealed class OpenRosaTests
{
    private static readonly XNamespace _formList = "http://openrosa.org/xforms/xformsList";
    private static readonly XNamespace _manifest = "http://openrosa.org/xforms/xformsManifest";

    /// <summary>The smallest JPEG header Tuntas recognises, padded to a photo's size.</summary>
    internal static byte[] Jpeg(int size)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    internal sealed record Setup(TuntasWebFactory App, string Token, long SitiLine, long BudiLine, long Head, long Wife, string Tag) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    internal static async Task<Setup> SetUpAsync(string provider)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Tuntas:Complaints:AttachmentPath"] = Path.Combine(Path.GetTempPath(), "tuntas-odk-" + tag),
        });
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sukijo", 1, new DateOnly(1970, 1, 5), 1), new SeededMember("Sri", 2, new DateOnly(1975, 2, 6), 3));
        var other = await app.SeedFamilyAsync(Keden, new SeededMember("Paimin", 1, new DateOnly(1966, 3, 7), 1));
        await app.AddUserAsync("relawan.siti", "rahasia-relawan-123", Roles.Relawan);
        await app.AddUserAsync("relawan.budi", "rahasia-relawan-123", Roles.Relawan);
        var admin = await app.SignInAsAdministratorAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/verivali/periods", new { name = "Semester I 2027" })).StatusCode);
        await using var db = app.Database.CreateDb();
        var siti = await db.VerivaliLines.Where(l => l.FamilyId == family.Id).Select(l => l.Id).SingleAsync();
        var budi = await db.VerivaliLines.Where(l => l.FamilyId == other.Id).Select(l => l.Id).SingleAsync();
        var operatorClient = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/verivali/lines/assign", new { lineIds = new[] { siti }, assignTo = "relawan.siti" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync("/api/verivali/lines/assign", new { lineIds = new[] { budi }, assignTo = "relawan.budi" })).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<CreateDeviceToken>()
            .RunAsync(new CreateDeviceToken.Input("relawan.siti", "HP Siti", AdminUser, true), CancellationToken.None);
        var members = family.Persons.ToList();
        return new Setup(app, token.Secret!, siti, budi, members.Single(p => p.HubunganKk == 1).Id, members.Single(p => p.HubunganKk == 3).Id, tag);
    }

    internal static string Fixture(int version, long line, long head, long wife, string instance, string outcome = "perbaikan-data", string jenisLantai = "2",
        string wifeStatus = "meninggal", string photo = "1733129000000.jpg", string note = "Lantai sudah keramik") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OpenRosa", "Fixtures", "collect-visit-submission.xml"))
            .Replace("{VERSION}", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{LINE}", line.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{HEAD}", head.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{WIFE}", wife.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{OUTCOME}", outcome, StringComparison.Ordinal)
            .Replace("{JENIS_LANTAI}", jenisLantai, StringComparison.Ordinal)
            .Replace("{WIFE_STATUS}", wifeStatus, StringComparison.Ordinal)
            .Replace("{PHOTO}", photo, StringComparison.Ordinal)
            .Replace("{NOTE}", note, StringComparison.Ordinal)
            .Replace("{INSTANCE}", instance, StringComparison.Ordinal);

    /// <summary>The multipart body as ODK Collect sends it: xml_submission_file, then each photo under its file name.</summary>
    internal static MultipartFormDataContent Submission(string xml, params (string Name, byte[] Content, string Type)[] files)
    {
        var body = new MultipartFormDataContent();
        var xmlPart = new ByteArrayContent(Encoding.UTF8.GetBytes(xml));
        xmlPart.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        body.Add(xmlPart, "xml_submission_file", "submission.xml");
        foreach (var (name, content, type) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            body.Add(part, name, name);
        }
        return body;
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(HttpClient client, string token, MultipartFormDataContent body)
    {
        using var response = await client.PostAsync($"/key/{token}/submission?deviceID=collect%3Aabc", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.StartsWith("<OpenRosaResponse", StringComparison.Ordinal), $"{response.StatusCode}: {text[..Math.Min(text.Length, 3000)]}");
        Assert.Equal("1.0", response.Headers.GetValues("X-OpenRosa-Version").Single());
        var message = XDocument.Parse(text).Root!.Elements().Single(e => e.Name.LocalName == "message").Value;
        return (response.StatusCode, message);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Collect_lists_downloads_and_sends_a_visit_that_lands_on_the_worklist_line_once(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var (app, token) = (setup.App, setup.Token);
        var client = app.CreateClient();

        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/key/{token}/submission")))
        {
            Assert.Equal(HttpStatusCode.NoContent, head.StatusCode);
            Assert.Equal("1.0", head.Headers.GetValues("X-OpenRosa-Version").Single());
            Assert.Equal("10485760", head.Headers.GetValues("X-OpenRosa-Accept-Content-Length").Single());
        }
        var list = XDocument.Parse(await client.GetStringAsync($"/key/{token}/formList"));
        var forms = list.Root!.Elements(_formList + "xform").ToList();
        Assert.Equal([FieldForms.Visit, FieldForms.NewFamily], forms.Select(f => f.Element(_formList + "formID")!.Value));
        var visit = forms[0];
        Assert.StartsWith("md5:", visit.Element(_formList + "hash")!.Value, StringComparison.Ordinal);
        Assert.Equal("1", visit.Element(_formList + "version")!.Value);
        var formXml = await client.GetStringAsync(visit.Element(_formList + "downloadUrl")!.Value);
        Assert.Contains("version=\"1\"", formXml, StringComparison.Ordinal);
        Assert.Equal(visit.Element(_formList + "hash")!.Value, "md5:" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(formXml))));

        var manifest = XDocument.Parse(await client.GetStringAsync(visit.Element(_formList + "manifestUrl")!.Value));
        var media = manifest.Root!.Elements(_manifest + "mediaFile").ToList();
        Assert.Equal([FieldForms.FamiliesCsv, FieldForms.MembersCsv], media.Select(m => m.Element(_manifest + "filename")!.Value));
        var families = await client.GetStringAsync(media[0].Element(_manifest + "downloadUrl")!.Value);
        var rows = families.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("name,label,no_kk,kepala,alamat_lengkap,", rows[0], StringComparison.Ordinal);
        // Each column once: the address as shown (with RT/RW) under "alamat" came before the ALAMAT field's own column of
        // that name, and the form pre-filled the correction from it, proposing an unchanged address as a new one.
        Assert.DoesNotMatch(@"\d{16}", families); // the NO_KK masked, as the API masks it for this role
        var header = rows[0].Split(',');
        Assert.Equal(header.Length, header.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("/alamat_lengkap", formXml, StringComparison.Ordinal);
        Assert.StartsWith(setup.SitiLine + ",", Assert.Single(rows[1..]), StringComparison.Ordinal); // Budi's family is not on Siti's phone
        var members = await client.GetStringAsync(media[1].Element(_manifest + "downloadUrl")!.Value);
        Assert.Contains($"{setup.Wife},{setup.SitiLine},Sri", members, StringComparison.Ordinal);

        var xml = Fixture(1, setup.SitiLine, setup.Head, setup.Wife, "uuid:0b6f9e47-1f0e-4a8e-9d55-4d7e1c2b3a01");
        var photo = Jpeg(300 * 1024);
        var first = await PostAsync(client, token, Submission(xml, ("1733129000000.jpg", photo, "image/jpeg")));
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var again = await PostAsync(client, token, Submission(xml, ("1733129000000.jpg", photo, "image/jpeg")));
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Contains("sudah diterima", again.Message, StringComparison.Ordinal);

        await using var db = app.Database.CreateDb();
        var line = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == setup.SitiLine);
        Assert.Equal(VerivaliTerms.Visited, line.Status);
        Assert.Equal(VerivaliTerms.Corrected, line.Outcome);
        Assert.Equal("relawan.siti", line.VisitedBy);
        var changes = JsonSerializer.Deserialize<List<VisitChange>>(line.Changes!)!;
        Assert.Contains(new VisitChange(null, "JENIS_LANTAI", "2"), changes);
        Assert.Contains(new VisitChange(setup.Wife, "STATUS_HIDUP", "meninggal", new DateOnly(2026, 9, 1)), changes);
        Assert.Equal(2, changes.Count);
        var submission = await db.FieldSubmissions.AsNoTracking().SingleAsync();
        Assert.Equal((FieldTerms.Accepted, setup.SitiLine, -7.4512, 111.0203, "relawan.siti"),
            (submission.Status, submission.LineId!.Value, submission.Latitude!.Value, submission.Longitude!.Value, submission.SubmittedBy));
        var file = await db.FieldSubmissionFiles.AsNoTracking().SingleAsync();
        Assert.Equal(("1733129000000.jpg", "image/jpeg", 300L * 1024), (file.FileName, file.ContentType, file.Size));
        var store = app.Services.GetRequiredService<Tuntas.Attachments.AttachmentStore>();
        Assert.NotNull(store.Open(file.StoredName));

        // The token never reaches the audit trail; the media download is recorded as a personal-data read by Siti.
        var audit = await db.AuditLog.AsNoTracking().ToListAsync();
        Assert.DoesNotContain(audit, e => (e.Detail ?? "").Contains(token, StringComparison.Ordinal) || (e.SubjectId ?? "").Contains(token, StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Actor == "relawan.siti" && e.SubjectId == FieldForms.FamiliesCsv);
        Assert.Contains(audit, e => e.Actor == "relawan.siti" && (e.Detail ?? "").Contains("kiriman lapangan", StringComparison.Ordinal));
    }

    /// <summary>
    /// The head of family died. The form had no way to name a new head, the musdes agreed the visit, and the apply refused
    /// it (the registry keeps one living head) without a word. The form now asks for the new head among the other members,
    /// required when the head left and someone still lives there; a visit that names none is refused when received, with
    /// the reason, and one that names the wife proposes her as head.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_visit_recording_the_heads_death_names_the_new_head_or_is_refused_with_the_reason(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var (app, token) = (setup.App, setup.Token);
        var client = app.CreateClient();
        var formXml = await client.GetStringAsync($"/key/{token}/formList") is var list
            ? await client.GetStringAsync(XDocument.Parse(list).Root!.Elements(_formList + "xform").First().Element(_formList + "downloadUrl")!.Value)
            : "";
        var members = await client.GetStringAsync($"/key/{token}/forms/{FieldForms.Visit}/media/{FieldForms.MembersCsv}");
        var photo = ("p.jpg", Jpeg(1000), "image/jpeg");
        string HeadDied(string instance, string newHead) =>
            Fixture(1, setup.SitiLine, setup.Head, setup.Wife, instance, outcome: "meninggal", wifeStatus: "hidup", photo: "p.jpg")
                .Replace("<status_hidup>hidup</status_hidup><tanggal_status /></anggota>",
                    "<status_hidup>meninggal</status_hidup><tanggal_status>2026-10-02</tanggal_status><kepala>1</kepala></anggota>", StringComparison.Ordinal)
                .Replace("<status_hidup>hidup</status_hidup><tanggal_status>2026-09-01</tanggal_status>",
                    "<status_hidup>hidup</status_hidup><tanggal_status /><kepala>0</kepala>", StringComparison.Ordinal)
                .Replace("<foto_rumah>", $"<kepala_baru>{newHead}</kepala_baru><foto_rumah>", StringComparison.Ordinal);

        var withoutHead = await PostAsync(client, token, Submission(HeadDied("uuid:tanpa-kepala", ""), photo));
        string? changesBefore;
        await using (var db = app.Database.CreateDb())
        {
            changesBefore = (await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == setup.SitiLine)).Changes;
        }
        var withHead = await PostAsync(client, token, Submission(HeadDied("uuid:istri-kepala", setup.Wife.ToString(System.Globalization.CultureInfo.InvariantCulture)), photo));

        Assert.Contains("<bind nodeset=\"/data/kepala_baru\" type=\"string\" required=\"true()\"", formXml, StringComparison.Ordinal);
        Assert.StartsWith("name,baris,nama,kepala\n", members, StringComparison.Ordinal);
        Assert.Contains($"{setup.Head},{setup.SitiLine},", members, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, withoutHead.Status);
        Assert.Contains("NEW_HEAD_REQUIRED", withoutHead.Message, StringComparison.Ordinal);
        Assert.Null(changesBefore);
        Assert.Equal(HttpStatusCode.Created, withHead.Status);
        await using (var db = app.Database.CreateDb())
        {
            var line = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == setup.SitiLine);
            var changes = JsonSerializer.Deserialize<List<VisitChange>>(line.Changes!)!;
            Assert.Equal(VerivaliTerms.Died, line.Outcome);
            Assert.Contains(new VisitChange(setup.Head, "STATUS_HIDUP", "meninggal", new DateOnly(2026, 10, 2)), changes);
            Assert.Contains(new VisitChange(setup.Wife, "HUBUNGAN_KK", "1"), changes);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_submissions_get_the_openrosa_error_collect_shows_and_nothing_is_half_stored(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var (app, token) = (setup.App, setup.Token);
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/key/{token}/formList")).StatusCode);
        var photo = ("p.jpg", Jpeg(1000), "image/jpeg");
        string Xml(string instance, long? line = null, string jenisLantai = "2", int version = 1) =>
            Fixture(version, line ?? setup.SitiLine, setup.Head, setup.Wife, instance, jenisLantai: jenisLantai, photo: "p.jpg");

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, token, Submission("<data id=\"tuntas-kunjungan\"><baris>", photo))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(client, token, Submission(Xml("uuid:v", version: 99), photo))).Status);
        var missing = await PostAsync(client, token, Submission(Xml("uuid:m")));
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("tidak ikut terkirim", missing.Message, StringComparison.Ordinal);
        var notImage = await PostAsync(client, token, Submission(Xml("uuid:n"), ("p.jpg", "%PDF-1.4 bukan foto"u8.ToArray(), "image/jpeg")));
        Assert.Equal(HttpStatusCode.BadRequest, notImage.Status);
        Assert.Contains("bukan foto", notImage.Message, StringComparison.Ordinal);
        var oversized = await PostAsync(client, token, Submission(Xml("uuid:o"), ("p.jpg", Jpeg((int)Tuntas.Attachments.AttachmentRules.MaxBytes + 1), "image/jpeg")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.Status);
        var othersFamily = await PostAsync(client, token, Submission(Xml("uuid:b", line: setup.BudiLine), photo));
        Assert.Equal(HttpStatusCode.Forbidden, othersFamily.Status);
        Assert.Contains("tidak ditugaskan", othersFamily.Message, StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(0, await db.FieldSubmissions.CountAsync());
            Assert.Equal(0, await db.FieldSubmissionFiles.CountAsync());
            Assert.Equal(0, await db.VerivaliLines.CountAsync(l => l.Status != VerivaliTerms.Open));
        }
        var folder = app.Services.GetRequiredService<Tuntas.Attachments.AttachmentStore>().Folder;
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);

        // Failing the import's checks: kept as refused with the reasons; the line stays unvisited.
        var refused = await PostAsync(client, token, Submission(Xml("uuid:r", jenisLantai: "12"), photo));
        Assert.Equal(HttpStatusCode.Created, refused.Status);
        Assert.Contains("OUT_OF_RANGE", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(client, token, Submission(Xml("uuid:r", jenisLantai: "3"), photo))).Status);
        await using (var db = app.Database.CreateDb())
        {
            var stored = await db.FieldSubmissions.AsNoTracking().SingleAsync();
            Assert.Equal(FieldTerms.Refused, stored.Status);
            Assert.Contains("JENIS_LANTAI", stored.Problems, StringComparison.Ordinal);
            Assert.Equal(VerivaliTerms.Open, (await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == setup.SitiLine)).Status);
        }

        // Another user's token cannot reach Siti's family; a revoked token nothing at all.
        await using var scope = app.Services.CreateAsyncScope();
        var budiToken = (await scope.ServiceProvider.GetRequiredService<CreateDeviceToken>()
            .RunAsync(new CreateDeviceToken.Input("relawan.budi", "HP Budi", AdminUser, true), CancellationToken.None)).Secret!;
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, budiToken, Submission(Xml("uuid:x"), photo))).Status);
        var tokenId = await app.Database.CreateDb().DeviceTokens.Where(t => t.TokenHash == ApiKeys.Hash(token)).Select(t => t.Id).SingleAsync();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<RevokeDeviceToken>().RunAsync(new RevokeDeviceToken.Input(tokenId, AdminUser, true), CancellationToken.None));
        var revoked = await PostAsync(client, token, Submission(Xml("uuid:y"), photo));
        Assert.Equal(HttpStatusCode.Forbidden, revoked.Status);
        Assert.Contains("dicabut", revoked.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/key/{token}/formList")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_family_proposal_becomes_a_worklist_line_and_a_bad_nik_is_refused_with_its_reason(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var (app, token) = (setup.App, setup.Token);
        var client = app.CreateClient();
        Assert.Contains("33.14.01.2001", await client.GetStringAsync($"/key/{token}/forms/{FieldForms.NewFamily}/media/{FieldForms.VillagesCsv}"), StringComparison.Ordinal);
        var nik = Tuntas.Registry.Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 77);
        string Proposal(string instance, string headNik, string desa = "33.14.01.2001") => $"""
            <?xml version='1.0' ?><data id="tuntas-keluarga-baru" version="1" xmlns:jr="http://openrosa.org/javarosa"><kode_desa>{desa}</kode_desa><no_kk>3314010101200077</no_kk><alamat>Dukuh Baru</alamat><rt>003</rt><rw>001</rw><status_bangunan>1</status_bangunan><luas_lantai>24</luas_lantai><jenis_lantai>8</jenis_lantai><jenis_dinding>6</jenis_dinding><jenis_atap>2</jenis_atap><sumber_air_minum>6</sumber_air_minum><sumber_penerangan>2</sumber_penerangan><daya_listrik /><bahan_bakar_masak>10</bahan_bakar_masak><fasilitas_bab>6</fasilitas_bab><anggota><nik>{headNik}</nik><nama>Wagiman</nama><jenis_kelamin>1</jenis_kelamin><tempat_lahir>Sragen</tempat_lahir><tanggal_lahir>1990-04-05</tanggal_lahir><hubungan_kk>1</hubungan_kk><status_kawin>1</status_kawin><pendidikan>3</pendidikan><disabilitas>0</disabilitas></anggota><foto_rumah /><lokasi /><catatan /><meta><instanceID>{instance}</instanceID></meta></data>
            """;
        var bad = await PostAsync(client, token, Submission(Proposal("uuid:k1", "123")));
        Assert.Equal(HttpStatusCode.Created, bad.Status);
        Assert.Contains("NIK", bad.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, token, Submission(Proposal("uuid:k2", nik, "33.14.02.2001")))).Status);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, token, Submission(Proposal("uuid:k3", nik)))).Status);

        await using var db = app.Database.CreateDb();
        var proposed = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.FamilyId == null);
        Assert.Equal((VerivaliTerms.ReasonNewFamily, VerivaliTerms.NewFamily, VerivaliTerms.Visited, "relawan.siti", Keden),
            (proposed.Reasons, proposed.Outcome, proposed.Status, proposed.AssignedTo, proposed.KodeDesa));
        Assert.Equal(proposed.Id, (await db.FieldSubmissions.AsNoTracking().SingleAsync(s => s.InstanceId == "uuid:k3")).LineId);
        Assert.Equal(FieldTerms.Refused, (await db.FieldSubmissions.AsNoTracking().SingleAsync(s => s.InstanceId == "uuid:k1")).Status);

        // The operator reviews the proposal on its worklist line with its members (NIK masked).
        var worklist = await ParseAsync(await (await app.SignInAsVillageOperatorAsync()).GetStringAsync($"/Verivali/Kunjungan?periode={proposed.PeriodId}"));
        var members = worklist.QuerySelector($"#baris-{proposed.Id} table.anggota-usulan")!.TextContent;
        Assert.Contains("Wagiman", members, StringComparison.Ordinal);
        Assert.Contains(Tuntas.Registry.Nik.Mask(nik), members, StringComparison.Ordinal);
        Assert.DoesNotContain(nik, worklist.Source.Text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_relawan_makes_a_token_in_the_back_office_that_collect_then_uses_and_sees_the_submissions_per_day(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var app = setup.App;
        var relawan = await app.SignInAsync("relawan.siti", "rahasia-relawan-123");
        var created = await PostFormAsync(relawan, "/Lapangan?handler=Buat", new Dictionary<string, string> { ["perangkat"] = "HP kedua" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var page = await ParseAsync(await created.Content.ReadAsStringAsync());
        var url = page.QuerySelector("#alamat-server")!.TextContent;
        Assert.Matches("^http://localhost/key/tnd_[0-9a-f]{48}$", url);
        var token = url[(url.LastIndexOf('/') + 1)..];

        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/key/{token}/formList")).StatusCode);
        var xml = Fixture(1, setup.SitiLine, setup.Head, setup.Wife, "uuid:day-1", outcome: "tetap", wifeStatus: "hidup", photo: "p.jpg");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, token, Submission(xml, ("p.jpg", Jpeg(2048), "image/jpeg")))).Status);

        var activity = await relawan.GetFromJsonAsync<JsonElement>("/api/field/activity");
        Assert.Equal(2, activity.GetProperty("devices").GetArrayLength());
        var day = Assert.Single(activity.GetProperty("perDay").EnumerateArray());
        Assert.Equal(("relawan.siti", 1), (day.GetProperty("submittedBy").GetString(), day.GetProperty("accepted").GetInt32()));
        var operatorView = await ParseAsync(await (await app.SignInAsVillageOperatorAsync()).GetStringAsync("/Lapangan"));
        Assert.Single(operatorView.QuerySelectorAll("#kiriman tbody tr"));
        Assert.Contains("-7.4512", operatorView.QuerySelector("#peta")!.GetAttribute("data-points"), StringComparison.Ordinal); // the map of visits
        var photoLink = operatorView.QuerySelector("#kiriman tbody a")!.GetAttribute("href")!;
        using (var photo = await (await app.SignInAsVillageOperatorAsync()).GetAsync(photoLink))
        {
            Assert.Equal(("image/jpeg", 2048L), (photo.Content.Headers.ContentType!.MediaType, photo.Content.Headers.ContentLength!.Value));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.SignInAsync("relawan.budi", "rahasia-relawan-123")).GetAsync(photoLink)).StatusCode);

        // Revoked from the API: Collect is refused at once.
        var id = activity.GetProperty("devices")[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await relawan.PostAsync($"/api/field/devices/{id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/key/{token}/formList")).StatusCode);
        var admin = await app.SignInAsAdministratorAsync();
        var forBudi = await admin.PostAsJsonAsync("/api/field/devices", new { userName = "relawan.budi", deviceName = "HP Budi" });
        Assert.StartsWith("tnd_", (await forBudi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString(), StringComparison.Ordinal);
    }
}
