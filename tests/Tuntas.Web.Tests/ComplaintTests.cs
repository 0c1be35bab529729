using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Attachments;
using Tuntas.Complaints;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>Complaints through the portal, the posko and the API; routing, SLA escalation, change requests, bad input.</summary>
public sealed class ComplaintTests
{
    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private static async Task<HttpResponseMessage> FileOnPortalAsync(HttpClient client, Dictionary<string, string> fields, params (string Name, byte[] Content)[] files)
    {
        var page = await ParseAsync(await client.GetStringAsync("/Publik/Pengaduan"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "Lampiran", name);
        }
        return await client.PostAsync("/Publik/Pengaduan", form);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_data_complaint_from_the_portal_reaches_the_village_opens_a_change_request_and_its_resolution_is_public(string provider)
    {
        await using var app = await CreateAsync(provider);
        var citizen = app.CreateBrowser();
        const string Script = "<script>alert('x')</script> Nama ibu saya salah ditulis di data desa.";
        var filed = await FileOnPortalAsync(citizen, new()
        {
            ["Form.Category"] = "data-salah",
            ["Form.Name"] = "Sri Lestari",
            ["Form.Contact"] = "0812 3456 7890",
            ["Form.KodeDesa"] = Keden,
            ["Form.Description"] = Script,
        }, ("foto ktp.png", _png));
        var html = await filed.Content.ReadAsStringAsync();
        var ticket = (await ParseAsync(html)).QuerySelector("#tiket")?.TextContent ?? throw new InvalidOperationException("no ticket: " + (await ParseAsync(html)).QuerySelector("main")?.TextContent);
        Assert.Matches("^ADU-[A-Z2-9]{4}-[A-Z2-9]{4}$", ticket);

        await using (var db = app.Database.CreateDb())
        {
            var complaint = await db.Complaints.SingleAsync();
            Assert.Equal((ComplaintTerms.Village, Keden), (complaint.HandlerKind, complaint.HandlerCode));
            Assert.Equal(Script, complaint.Description); // stored as typed
            Assert.Equal(complaint.Id, (await db.ChangeRequests.SingleAsync()).ComplaintId);
            Assert.Equal("image/png", (await db.ComplaintAttachments.SingleAsync()).ContentType);
        }

        // The village operator sees it, with the script shown as text; the agency officer does not.
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        var list = await operatorKeden.GetStringAsync("/Aduan");
        Assert.Contains(ticket, list, StringComparison.Ordinal);
        long id;
        await using (var db = app.Database.CreateDb())
        {
            id = await db.Complaints.Select(c => c.Id).SingleAsync();
        }
        var detail = await operatorKeden.GetStringAsync($"/Aduan/{id}");
        Assert.DoesNotContain("<script>alert", detail, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", detail, StringComparison.Ordinal);
        var officer = await app.SignInAsAgencyOfficerAsync();
        Assert.DoesNotContain(ticket, await officer.GetStringAsync("/Aduan"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/Aduan/{id}")).StatusCode);

        // Closing needs a resolution; with one, the complainant reads it on the tracking page, and nothing of them.
        var refused = await PostFormAsync(operatorKeden, $"/Aduan/{id}", new() { ["Status"] = ComplaintTerms.Resolved, ["Note"] = "" });
        Assert.Contains("Tuliskan penyelesaian", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await PostFormAsync(operatorKeden, $"/Aduan/{id}", new() { ["Status"] = ComplaintTerms.Resolved, ["Note"] = "Nama sudah diperbaiki dalam impor 12 Nov." });
        var tracked = await PostFormAsync(citizen, "/Publik/Lacak", new() { ["Tiket"] = ticket.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal) });
        var trackedHtml = await tracked.Content.ReadAsStringAsync();
        Assert.Equal("selesai", (await ParseAsync(trackedHtml)).QuerySelector("#status-pengaduan")!.GetAttribute("data-status"));
        Assert.Contains("Nama sudah diperbaiki", trackedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Sri Lestari", trackedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("0812", trackedHtml, StringComparison.Ordinal);

        // The change request: accepted by the operator, which the complaint's public steps then say.
        long requestId;
        await using (var db = app.Database.CreateDb())
        {
            requestId = await db.ChangeRequests.Select(r => r.Id).SingleAsync();
        }
        await PostFormAsync(operatorKeden, "/Usulan", new() { ["RequestId"] = requestId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Accept"] = "true", ["Note"] = "diperbaiki" });
        var api = await citizen.GetFromJsonAsync<JsonElement>("/api/public/complaints/" + ticket);
        Assert.Contains(api.GetProperty("steps").EnumerateArray(), s => (s.GetProperty("note").GetString() ?? "").Contains("Usulan perubahan data diterima", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_complaints_are_refused_whole_with_every_problem(string provider)
    {
        await using var app = await CreateAsync(provider);
        var citizen = app.CreateBrowser();
        var tooLarge = new byte[AttachmentRules.MaxBytes + 10];
        _png.CopyTo(tooLarge, 0);
        var response = await FileOnPortalAsync(citizen, new()
        {
            ["Form.Category"] = "tidak-terdaftar",
            ["Form.Name"] = "S",
            ["Form.Contact"] = "bukan kontak",
            ["Form.Nik"] = "3314-abc",
            ["Form.Description"] = "pendek",
        }, ("besar.png", tooLarge), ("foto.jpg", "<?php system($_GET['c']); ?>"u8.ToArray()));
        var html = await response.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "Nama pelapor wajib", "Kontak harus", "NIK harus 16 angka", "pilih desa/kelurahan", "Uraikan pengaduan", "terlalu besar", "bukan foto" })
        {
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }
        // The browser drops chosen files when the refused form comes back: the form says to choose them again.
        Assert.Contains("pilih lagi foto atau berkas Anda", (await ParseAsync(html)).QuerySelector("#lampiran-ulang")?.TextContent, StringComparison.Ordinal);
        await using var db = app.Database.CreateDb();
        Assert.False(await db.Complaints.AnyAsync());
        Assert.False(await db.ComplaintAttachments.AnyAsync());

        var api = await citizen.PostAsJsonAsync("/api/public/complaints", new { kategori = "tidak-ada", nama = "Sri", uraian = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains("Pilih kategori", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_health_complaint_goes_to_the_health_agency_and_an_overdue_one_is_escalated(string provider)
    {
        await using var app = await CreateAsync(provider);
        var citizen = app.CreateBrowser();
        var created = await citizen.PostAsJsonAsync("/api/public/complaints", new
        {
            kategori = "biaya-berobat",
            nama = "Joko",
            kontak = "joko@contoh.id",
            kodeDesa = Trobayan,
            uraian = "Anak saya dirawat, tidak mampu membayar biaya rumah sakit.",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tiket").GetString()!;

        await app.AddUserAsync("dinkes", "rahasia-kesehatan-123", Roles.AgencyOfficer, organization: "dinas  kesehatan");
        var health = await app.SignInAsync("dinkes", "rahasia-kesehatan-123");
        Assert.Contains(ticket, await health.GetStringAsync("/Aduan"), StringComparison.Ordinal);
        Assert.DoesNotContain(ticket, await (await app.SignInAsAgencyOfficerAsync()).GetStringAsync("/Aduan"), StringComparison.Ordinal);

        await using (var db = app.Database.CreateDb())
        {
            await db.Complaints.ExecuteUpdateAsync(s => s.SetProperty(c => c.DueAt, DateTime.UtcNow.AddDays(-1)));
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var escalate = scope.ServiceProvider.GetRequiredService<EscalateOverdue>();
            Assert.Equal(1, await escalate.RunAsync(CancellationToken.None));
            Assert.Equal(0, await escalate.RunAsync(CancellationToken.None)); // once
        }
        var view = await citizen.GetFromJsonAsync<JsonElement>("/api/public/complaints/" + ticket);
        Assert.True(view.GetProperty("escalated").GetBoolean());
        Assert.True(view.GetProperty("overdue").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await citizen.GetAsync("/api/public/complaints/ADU-AAAA-AAAA")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_facilitator_proposes_a_field_update_that_the_village_operator_decides(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Keden", 1, new DateOnly(1970, 1, 1), 1));
        var facilitator = await app.AddUserAsync("pendamping.keden", "rahasia-uji-12345", Roles.Facilitator, Keden);
        var client = await app.SignInAsync("pendamping.keden", "rahasia-uji-12345");
        var proposed = await PostFormAsync(client, $"/Keluarga/{family.Id}?handler=Usulkan", new() { ["usulan"] = "Atap sudah diganti genteng; lantai masih tanah." });
        Assert.Contains("usulan-terkirim", await proposed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        var list = await operatorKeden.GetStringAsync("/Usulan");
        Assert.Contains("Atap sudah diganti genteng", list, StringComparison.Ordinal);
        Assert.Equal(facilitator.UserName, (await app.Database.CreateDb().ChangeRequests.SingleAsync()).CreatedBy);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Complaints_are_handled_through_the_api_with_the_back_offices_rules(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Sri Lestari", 2, new DateOnly(1982, 4, 5), 1));
        var created = await app.CreateBrowser().PostAsJsonAsync("/api/public/complaints", new
        {
            kategori = "data-salah",
            nama = "Sri Lestari",
            nik = family.Persons[0].Nik,
            kodeDesa = Keden,
            uraian = "Tanggal lahir saya salah ditulis di data desa.",
        });
        var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tiket").GetString()!;

        var officer = await app.SignInAsAgencyOfficerAsync();
        Assert.Empty(await officer.GetFromJsonAsync<JsonElement[]>("/api/complaints") ?? []);
        var operatorKeden = await app.SignInAsVillageOperatorAsync();
        var list = (await operatorKeden.GetFromJsonAsync<JsonElement[]>("/api/complaints"))!;
        var id = Assert.Single(list).GetProperty("id").GetInt64();
        Assert.Equal(ticket, list[0].GetProperty("ticket").GetString());
        var detail = await operatorKeden.GetFromJsonAsync<JsonElement>($"/api/complaints/{id}");
        Assert.True(detail.GetProperty("mayHandle").GetBoolean());
        Assert.Equal(family.Id, detail.GetProperty("familyId").GetInt64());

        var noResolution = await operatorKeden.PostAsJsonAsync($"/api/complaints/{id}/status", new { status = "selesai" });
        Assert.Equal(HttpStatusCode.BadRequest, noResolution.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorKeden.PostAsJsonAsync($"/api/complaints/{id}/status", new { status = "selesai", note = "Sudah diperbaiki." })).StatusCode);

        var request = Assert.Single((await operatorKeden.GetFromJsonAsync<JsonElement[]>("/api/change-requests"))!);
        var decided = await operatorKeden.PostAsJsonAsync($"/api/change-requests/{request.GetProperty("id").GetInt64()}/decision", new { accept = true, note = "diperbaiki" });
        Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
        // Outside the officer's remit the complaint is not there at all.
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync($"/api/complaints/{id}/status", new { status = "diproses" })).StatusCode);

        await using var db = app.Database.CreateDb();
        Assert.Contains(await db.AuditLog.AsNoTracking().ToListAsync(), e => e.Action == Tuntas.Audit.AuditActions.ViewComplaint && e.SubjectId == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
