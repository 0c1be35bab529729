using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Audit;
using Tuntas.Data;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

public sealed partial class BackOfficeTests
{
    private static readonly SeededMember[] _nurhaliza =
    [
        new("Ahmad Subekti", 1, new DateOnly(1980, 5, 17), 1),
        new("Siti Nurhaliza", 2, new DateOnly(1984, 11, 2), 3, Disabilitas: 2),
        new("Rizki Pratama", 1, new DateOnly(2010, 1, 9), 4),
    ];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anonymous_page_request_is_redirected_to_the_sign_in_page(string provider)
    {
        await using var app = await CreateAsync(provider);
        var response = await app.CreateBrowser().GetAsync("/Keluarga/Cari");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Masuk", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Anonymous_api_call_gets_401_problem_details_not_a_redirect(string provider)
    {
        await using var app = await CreateAsync(provider);
        var response = await app.CreateBrowser().GetAsync("/api/families?desa=" + Keden);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var post = await app.CreateBrowser().PostAsJsonAsync("/api/families/search", new { query = "Siti" });
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    /// <summary>A body that is not JSON, and JSON of the wrong shape, are 400 problems in both languages, title included,
    /// that never repeat what was sent: a search body carries NIKs.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_json_body_the_api_cannot_read_is_a_bilingual_400_that_does_not_repeat_the_body(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();

        using var malformed = new StringContent("{bad json 3314010101900001", System.Text.Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/families/search", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Masukan ditolak / input refused", problem.GetProperty("title").GetString());
        Assert.Contains(" / ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("3314010101900001", text, StringComparison.Ordinal);

        var wrongShape = await admin.PostAsync("/api/families/search", JsonContent.Create(new { query = new[] { "3314010101900001" } }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongShape.StatusCode);
        var shapeText = await wrongShape.Content.ReadAsStringAsync();
        var shape = JsonDocument.Parse(shapeText).RootElement;
        Assert.Equal("Masukan ditolak / input refused", shape.GetProperty("title").GetString());
        Assert.Equal("Isi permintaan bukan JSON dengan bentuk yang diminta: periksa $.query / The request body is not JSON of the expected shape: check $.query",
            shape.GetProperty("errors").GetProperty("$.query")[0].GetString());
        Assert.DoesNotContain("3314010101900001", shapeText, StringComparison.Ordinal);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>At 06:30 WIB on 11 March (23:30 UTC on the 10th) a member born on 11 March has had the birthday: ages are
    /// counted on the regency's day, not UTC's.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_members_age_turns_on_the_regencys_day_in_wibs_morning(string provider)
    {
        await using var app = await CreateAsync(provider, clock: new FixedClock(new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero)));
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Ahmad Subekti", 1, new DateOnly(1980, 3, 11), 1));
        var client = app.CreateBrowser();
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.Auditor));

        var persons = await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}/persons");
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}");

        Assert.Equal(46, persons[0].GetProperty("umur").GetInt32());
        Assert.Equal(46, detail.GetProperty("anggota")[0].GetProperty("umur").GetInt32());
    }

    /// <summary>A user's test: the API listed a dead member as an ordinary one, where the family page says "Meninggal"
    /// with the date; a village system reading it could not tell the dead from the living.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_api_gives_each_members_life_status_as_the_family_page_shows_it(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Ahmad Subekti", 1, new DateOnly(1980, 3, 11), 1),
            new SeededMember("Mbah Painem", 2, new DateOnly(1938, 5, 2), 7));
        await using (var db = app.Database.CreateDb())
        {
            var grandmother = await db.Persons.SingleAsync(p => p.FamilyId == family.Id && p.Nama == "Mbah Painem");
            (grandmother.StatusHidup, grandmother.StatusTanggal) = (LifeStatus.Meninggal, new DateOnly(2026, 11, 20));
            await db.SaveChangesAsync();
        }
        var client = app.CreateBrowser();
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.Auditor));

        var persons = (await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}/persons")).EnumerateArray().ToList();
        var detail = (await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}")).GetProperty("anggota").EnumerateArray().ToList();

        foreach (var members in new[] { persons, detail })
        {
            var dead = members.Single(m => m.GetProperty("nama").GetString() == "Mbah Painem");
            Assert.Equal((LifeStatus.Meninggal, "2026-11-20"), (dead.GetProperty("statusHidup").GetInt32(), dead.GetProperty("statusTanggal").GetString()));
            Assert.Equal(LifeStatus.Hidup, members.Single(m => m.GetProperty("nama").GetString() == "Ahmad Subekti").GetProperty("statusHidup").GetInt32());
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Api_key_reads_families_and_a_wrong_key_gets_401(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var key = await app.AddApiClientAsync(Roles.Auditor);
        var client = app.CreateBrowser();
        client.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, key);
        var list = await client.GetFromJsonAsync<JsonElement>("/api/families?desa=" + Keden);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}");
        var nik = detail.GetProperty("anggota")[0].GetProperty("nik").GetString();
        Assert.Equal(Nik.Mask(family.Persons[0].Nik), nik);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("anggota")[1].GetProperty("disabilitas").ValueKind);

        var wrong = app.CreateBrowser();
        wrong.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, "tk_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/families?desa=" + Keden)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Administrator_gets_the_full_nik_from_the_api_only_when_asked_and_a_partner_may_not_import(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var admin = await app.SignInAsAdministratorAsync();
        var masked = await admin.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}");
        Assert.Equal(Nik.Mask(family.Persons[0].Nik), masked.GetProperty("anggota")[0].GetProperty("nik").GetString());
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}?full=true");
        Assert.Equal(family.Persons[0].Nik, detail.GetProperty("anggota")[0].GetProperty("nik").GetString());
        Assert.Equal(2, detail.GetProperty("anggota")[1].GetProperty("disabilitas").GetInt32());

        var officer = await app.SignInAsAgencyOfficerAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent("a,b\n1,2\n"u8.ToArray()), "file", "x.csv" } };
        var response = await officer.PostAsync("/api/families/import", form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Wrong_password_is_refused_with_the_same_message_as_an_unknown_user(string provider)
    {
        await using var app = await CreateAsync(provider);
        var wrongPassword = await LoginErrorAsync(app, AdminUser, "bukan-kata-sandinya");
        var unknownUser = await LoginErrorAsync(app, "tidak-ada", "bukan-kata-sandinya");
        Assert.False(string.IsNullOrWhiteSpace(wrongPassword));
        Assert.Equal(wrongPassword, unknownUser);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Repeated_failures_hold_a_user_name_back_alike_whether_it_exists_and_a_known_device_still_signs_in(string provider)
    {
        // A back-off of ten minutes: on a loaded machine the failures below took over 30 s, and the product's seconds-long
        // back-off had run out before the held sign-in was tried (a CI run's failure, not the product's).
        await using var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Security:SignIn:ClientAttemptsPerMinute"] = "1000",
            ["Security:SignIn:BackoffBaseSeconds"] = "600",
            ["Security:SignIn:BackoffMaxSeconds"] = "3600",
        });
        // The owner signed in from this browser before: it holds the device cookie.
        var owner = await app.SignInAsVillageOperatorAsync();
        var free = app.Services.GetRequiredService<SignInThrottle>().Settings.FreeFailures;
        for (var i = 0; i < free; i++)
        {
            await LoginErrorAsync(app, OperatorUser, "salah-salah-salah");
            await LoginErrorAsync(app, "tidak-ada-akun-ini", "salah-salah-salah");
        }
        // A stranger with the right password now waits, and reads the same words as for a name that does not exist.
        var held = await LoginErrorAsync(app, OperatorUser, OperatorPassword);
        var unknown = await LoginErrorAsync(app, "tidak-ada-akun-ini", "x");
        Assert.Contains("detik", held, StringComparison.Ordinal);
        Assert.Equal(System.Text.RegularExpressions.Regex.Replace(unknown, @"\d+", "N"), System.Text.RegularExpressions.Regex.Replace(held, @"\d+", "N"));
        // The owner's own browser is not held back (no one can lock the owner out), and other accounts are not affected.
        await PostFormAsync(owner, "/Keluar", []);
        var again = await PostFormAsync(owner, "/Masuk", new() { ["UserName"] = OperatorUser, ["Password"] = OperatorPassword });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.NotNull(await app.SignInAsAdministratorAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_by_nik_is_a_post_and_finds_the_family(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Joko Susilo", 1, new DateOnly(1975, 2, 3), 1));
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var client = await app.SignInAsAdministratorAsync();
        var nik = family.Persons[1].Nik;
        var response = await PostFormAsync(client, "/Keluarga/Cari", new() { ["Query"] = "'" + nik });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(await response.Content.ReadAsStringAsync());
        var rows = page.QuerySelectorAll("#hasil tbody tr");
        var row = Assert.Single(rows);
        Assert.Contains($"/Keluarga/{family.Id}", row.InnerHtml, StringComparison.Ordinal);
        Assert.Contains(Nik.Mask(nik), row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(nik, row.InnerHtml, StringComparison.Ordinal);

        var byKk = await client.PostAsJsonAsync("/api/families/search", new { query = family.NoKk });
        var hits = await byKk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(family.Id, Assert.Single(hits.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Search_for_Siti_Nur_Haliza_finds_Siti_Nurhaliza(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Siti Aminah", 2, new DateOnly(1970, 7, 7), 1));
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var client = await app.SignInAsAdministratorAsync();
        var response = await PostFormAsync(client, "/Keluarga/Cari", new() { ["Query"] = "Siti Nur Haliza" });
        var page = await ParseAsync(await response.Content.ReadAsStringAsync());
        var first = page.QuerySelectorAll("#hasil tbody tr").First();
        Assert.Contains("Siti Nurhaliza", first.TextContent, StringComparison.Ordinal);
        Assert.Contains($"/Keluarga/{family.Id}", first.InnerHtml, StringComparison.Ordinal);

        var api = await client.PostAsJsonAsync("/api/families/search", new { query = "SITI NURHALIZAH" });
        var hits = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(family.Id, hits[0].GetProperty("id").GetInt64());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Family_page_shows_members_with_masked_nik_labels_and_no_store(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var client = await app.SignInAsVillageOperatorAsync();
        var response = await client.GetAsync($"/Keluarga/{family.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        var page = await ParseAsync(html);
        var members = page.QuerySelectorAll("#anggota tbody tr");
        Assert.Equal(3, members.Length);
        Assert.Contains("Ahmad Subekti", members[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Tanah (8)", page.QuerySelector("#rumah")!.TextContent, StringComparison.Ordinal);
        foreach (var person in family.Persons)
        {
            Assert.DoesNotContain(person.Nik, html, StringComparison.Ordinal);
            Assert.Contains(Nik.Mask(person.Nik), page.QuerySelector("#anggota")!.TextContent, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(family.NoKk, html, StringComparison.Ordinal);
        // Disability is sensitive: a village operator does not see the column.
        Assert.Null(page.QuerySelector("#anggota th:nth-child(7)"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Village_operator_cannot_open_a_family_of_another_village(string provider)
    {
        await using var app = await CreateAsync(provider);
        var other = await app.SeedFamilyAsync(Trobayan, new SeededMember("Joko Susilo", 1, new DateOnly(1975, 2, 3), 1));
        var client = await app.SignInAsVillageOperatorAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Keluarga/{other.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/families/{other.Id}")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Kecamatan_and_village_counts_are_correct(string provider)
    {
        await using var app = await CreateAsync(provider);
        await app.SeedFamilyAsync(Keden, _nurhaliza);
        await app.SeedFamilyAsync(Keden, new SeededMember("Sri Wahyuni", 2, new DateOnly(1990, 4, 4), 1));
        await app.SeedFamilyAsync(Trobayan, new SeededMember("Joko Susilo", 1, new DateOnly(1975, 2, 3), 1), new SeededMember("Tini", 2, new DateOnly(1978, 3, 3), 3));
        var client = await app.SignInAsAdministratorAsync();

        var home = await ParseAsync(await client.GetStringAsync("/"));
        Assert.Equal("3", home.QuerySelector("#jumlah-keluarga")!.TextContent);
        Assert.Equal("6", home.QuerySelector("#jumlah-jiwa")!.TextContent);
        var kalijambe = home.QuerySelector("#wilayah tr[data-code='33.14.01']")!;
        Assert.Equal(["3", "6"], kalijambe.QuerySelectorAll("td.num").Take(2).Select(td => td.TextContent));

        var district = await ParseAsync(await client.GetStringAsync("/Wilayah/Kecamatan/33.14.01"));
        Assert.Equal(["2", "4"], district.QuerySelector($"#wilayah tr[data-code='{Keden}']")!.QuerySelectorAll("td.num").Take(2).Select(td => td.TextContent));
        Assert.Equal(["1", "2"], district.QuerySelector($"#wilayah tr[data-code='{Trobayan}']")!.QuerySelectorAll("td.num").Take(2).Select(td => td.TextContent));

        var village = await ParseAsync(await client.GetStringAsync("/Wilayah/Desa/" + Keden));
        Assert.Equal(2, village.QuerySelectorAll("#keluarga tbody tr").Length);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task OpenApi_document_is_anonymous_valid_json_and_lists_the_families_api(string provider)
    {
        await using var app = await CreateAsync(provider);
        var response = await app.CreateBrowser().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/families", out _));
        Assert.True(paths.TryGetProperty("/api/families/search", out _));
        Assert.True(paths.TryGetProperty("/api/families/import", out _));
        Assert.True(paths.TryGetProperty("/api/imports/{id}", out _));
        Assert.False(paths.TryGetProperty("/Masuk", out _));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task No_page_or_api_response_puts_a_full_nik_in_a_url(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        var client = await app.SignInAsAdministratorAsync();
        var bodies = new List<string>
        {
            await client.GetStringAsync("/"),
            await client.GetStringAsync("/Wilayah/Kecamatan/33.14.01"),
            await client.GetStringAsync("/Wilayah/Desa/" + Keden),
            await client.GetStringAsync($"/Keluarga/{family.Id}"),
            await (await PostFormAsync(client, "/Keluarga/Cari", new() { ["Query"] = family.Persons[0].Nik })).Content.ReadAsStringAsync(),
            await client.GetStringAsync("/Impor"),
            await client.GetStringAsync("/api/families?desa=" + Keden),
            await (await client.PostAsJsonAsync("/api/families/search", new { query = family.Persons[0].Nik })).Content.ReadAsStringAsync(),
        };
        var identifiers = family.Persons.Select(p => p.Nik).Append(family.NoKk).ToList();
        foreach (var body in bodies)
        {
            foreach (Match url in UrlPattern().Matches(body))
            {
                Assert.DoesNotContain(identifiers, id => url.Value.Contains(id, StringComparison.Ordinal));
                Assert.False(SixteenDigits().IsMatch(url.Value), url.Value);
            }
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Region_pickers_offer_the_regencys_kecamatan_and_villages_within_the_readers_scope(string provider)
    {
        await using var app = await CreateAsync(provider);
        static string[] Options(AngleSharp.Dom.IDocument page, string field) =>
            [.. page.QuerySelectorAll($"select[name='{field}'] option").Select(o => o.GetAttribute("value")!).Where(v => v.Length > 0)];

        // The administrator's user form: every kecamatan and village of the regency, none of another regency.
        var admin = await app.SignInAsAdministratorAsync();
        var users = Options(await ParseAsync(await admin.GetStringAsync("/Pengguna")), "Form.RegionCode");
        Assert.Contains("33.14.01", users);
        Assert.Contains(Keden, users);
        Assert.True(users.Length > 200, users.Length.ToString(CultureInfo.InvariantCulture));
        Assert.All(users, code => Assert.StartsWith("33.14.", code, StringComparison.Ordinal));

        // A village operator's needs filter offers their village and its kecamatan only; a meeting form offers villages only.
        var villageOperator = await app.SignInAsVillageOperatorAsync();
        var needs = Options(await ParseAsync(await villageOperator.GetStringAsync("/Kolaborasi/Kebutuhan")), "Wilayah");
        Assert.Equal(["33.14.01", Keden], needs);
        var meeting = Options(await ParseAsync(await admin.GetStringAsync("/Kolaborasi/Rapat")), "Form.KodeDesa");
        Assert.Contains(Keden, meeting);
        Assert.All(meeting, code => Assert.Equal(13, code.Length));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Times_are_shown_in_the_regencys_zone_with_its_name(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _nurhaliza);
        using (var seed = app.Services.CreateScope())
        {
            var write = seed.ServiceProvider.GetRequiredService<TuntasDb>();
            write.FamilyChanges.Add(RegistryHistory.Line(new ChangeStamp("operator", new DateTime(2026, 3, 1, 16, 30, 0, DateTimeKind.Utc), ChangeSource.Editor),
                family.Id, null, "ALAMAT", "Dukuh Lama", "Dukuh Baru", 2));
            await write.SaveChangesAsync();
        }
        var client = await app.SignInAsAdministratorAsync();
        var familyPage = await client.GetStringAsync($"/Keluarga/{family.Id}");
        var auditPage = await client.GetStringAsync("/Audit");
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TuntasDb>();
        var signedIn = await db.AuditLog.OrderByDescending(e => e.Id).Where(e => e.Action == AuditActions.SignIn).Select(e => e.At).FirstAsync();
        // Sragen is in WIB (UTC+7): 16:30 UTC on 1 March is 23:30 WIB the same day, shown with the zone's name.
        Assert.Contains("2026-03-01 23:30 WIB", familyPage, StringComparison.Ordinal);
        Assert.Contains(signedIn.AddHours(7).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " WIB", auditPage, StringComparison.Ordinal);
        Assert.DoesNotContain(" UTC", familyPage, StringComparison.Ordinal);
        Assert.DoesNotContain(" UTC", auditPage, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Login_page_is_in_English_when_the_culture_cookie_says_en(string provider)
    {
        await using var app = await CreateAsync(provider);
        var indonesian = await ParseAsync(await app.CreateBrowser().GetStringAsync("/Masuk"));
        Assert.Equal("Masuk", indonesian.QuerySelector("h1")!.TextContent);

        var client = app.CreateBrowser();
        var switched = await client.GetAsync("/bahasa/en?returnUrl=/Masuk");
        Assert.Equal("/Masuk", switched.Headers.Location!.OriginalString);
        var english = await ParseAsync(await client.GetStringAsync("/Masuk"));
        Assert.Equal("Sign in", english.QuerySelector("h1")!.TextContent);
        Assert.Equal("en", english.DocumentElement.GetAttribute("lang"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Health_endpoint_answers_anonymously(string provider)
    {
        await using var app = await CreateAsync(provider);
        var response = await app.CreateBrowser().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> LoginErrorAsync(TuntasWebFactory app, string user, string password)
    {
        var response = await PostFormAsync(app.CreateBrowser(), "/Masuk", new() { ["UserName"] = user, ["Password"] = password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(await response.Content.ReadAsStringAsync());
        return page.QuerySelector(".error")?.TextContent ?? "";
    }

    [GeneratedRegex("""(?:href|src|action|location)\s*=\s*"[^"]*"|"/api/[^"]*"|"/Keluarga/[^"]*""", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\d{16}")]
    private static partial Regex SixteenDigits();
}
