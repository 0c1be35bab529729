using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Tuntas.Registry;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>The field editor in the back office and the API: the import's validation, versions, scope, life events.</summary>
public sealed class FamilyEditTests
{
    private static readonly SeededMember[] _members =
    [
        new("Sukijo", 1, new DateOnly(1970, 1, 5), 1),
        new("Sri Lestari", 2, new DateOnly(1975, 2, 6), 3),
        new("Bagus", 1, new DateOnly(2005, 3, 7), 4),
    ];

    /// <summary>Every field of the editor's form as a browser would post it, with some values replaced.</summary>
    private static async Task<HttpResponseMessage> SubmitEditorAsync(HttpClient client, long familyId, Dictionary<string, string> replace)
    {
        var url = $"/Keluarga/{familyId}/Ubah";
        var page = await ParseAsync(await client.GetStringAsync(url));
        var form = (IHtmlFormElement)page.QuerySelector("#form-ubah")!;
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" } box:
                    if (box.IsChecked || replace.TryGetValue(box.Name + "=" + box.Value, out _))
                    {
                        fields.Add(new(box.Name!, box.Value));
                    }
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } name:
                    fields.Add(new(name, replace.GetValueOrDefault(name, input.Value)));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } name:
                    fields.Add(new(name, replace.GetValueOrDefault(name, select.Value ?? "")));
                    break;
            }
        }
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_corrects_a_field_and_records_a_death_with_a_new_head_on_the_page(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _members);
        var head = family.Persons.Single(p => p.HubunganKk == 1);
        var wife = family.Persons.Single(p => p.HubunganKk == 3);
        var client = await app.SignInAsVillageOperatorAsync();

        var saved = await SubmitEditorAsync(client, family.Id, new()
        {
            ["f.JENIS_LANTAI"] = "2",
            [$"p{head.Id}.STATUS_HIDUP"] = "meninggal",
            [$"p{head.Id}.TANGGAL_STATUS"] = "2026-01-10",
            [$"p{wife.Id}.HUBUNGAN_KK"] = "1",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        await using var db = app.Database.CreateDb();
        Assert.Equal(2, (await db.Families.SingleAsync(f => f.Id == family.Id)).JenisLantai);
        Assert.Equal(LifeStatus.Meninggal, (await db.Persons.SingleAsync(p => p.Id == head.Id)).StatusHidup);
        var lines = await db.FamilyChanges.Where(c => c.FamilyId == family.Id).Select(c => new { c.Field, c.Source, c.ChangedBy }).ToListAsync();
        Assert.Equal(["HUBUNGAN_KK", "JENIS_LANTAI", RegistryHistory.LifeStatusField], lines.Select(l => l.Field).Order());
        Assert.All(lines, l => Assert.Equal((ChangeSource.Editor, OperatorUser), (l.Source, l.ChangedBy)));
        var detail = await client.GetStringAsync($"/Keluarga/{family.Id}");
        Assert.Contains("Meninggal", detail);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_page_refuses_an_invalid_value_with_the_import_code_and_a_stale_save_shows_the_other_change(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _members);
        var client = await app.SignInAsVillageOperatorAsync();

        var invalid = await SubmitEditorAsync(client, family.Id, new() { ["f.LUAS_LANTAI"] = "abc" });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("NOT_NUMBER", (await ParseAsync(await invalid.Content.ReadAsStringAsync())).QuerySelector("#problems")!.TextContent);

        // Two operators open the form; the first saves, the second's save on the old version is refused.
        var page = await ParseAsync(await client.GetStringAsync($"/Keluarga/{family.Id}/Ubah"));
        var oldVersion = page.QuerySelector("input[name=version]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitEditorAsync(client, family.Id, new() { ["f.JENIS_ATAP"] = "3" })).StatusCode);
        var stale = await SubmitEditorAsync(client, family.Id, new() { ["version"] = oldVersion, ["f.JENIS_ATAP"] = "5" });
        var stalePage = await ParseAsync(await stale.Content.ReadAsStringAsync());
        Assert.Contains("JENIS_ATAP", stalePage.QuerySelector("#stale")!.TextContent);
        await using var db = app.Database.CreateDb();
        Assert.Equal(3, (await db.Families.SingleAsync(f => f.Id == family.Id)).JenisAtap);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_api_edits_with_a_version_refuses_stale_and_invalid_and_keeps_scope(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _members);
        var other = await app.SeedFamilyAsync(Trobayan, _members[..1]);
        var child = family.Persons.Single(p => p.HubunganKk == 4);
        var client = await app.SignInAsVillageOperatorAsync();

        var version = (await client.GetFromJsonAsync<JsonElement>($"/api/families/{family.Id}/version")).GetProperty("version").GetInt64();
        var ok = await client.PutAsJsonAsync($"/api/families/{family.Id}", new
        {
            version,
            fields = new Dictionary<string, string> { ["JENIS_DINDING"] = "1" },
            persons = new[] { new { personId = child.Id, fields = new Dictionary<string, string> { ["PENDIDIKAN"] = "5" } } },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var result = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(version + 1, result.GetProperty("version").GetInt64());
        Assert.Equal(2, result.GetProperty("changes").GetArrayLength());

        var stale = await client.PutAsJsonAsync($"/api/families/{family.Id}", new { version, fields = new Dictionary<string, string> { ["JENIS_DINDING"] = "2" } });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var conflict = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("VERSION_STALE", conflict.GetProperty("code").GetString());
        Assert.Equal(2, conflict.GetProperty("changes").GetArrayLength());

        var invalid = await client.PutAsJsonAsync($"/api/families/{family.Id}", new { version = version + 1, fields = new Dictionary<string, string> { ["JENIS_LANTAI"] = "12" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("OUT_OF_RANGE", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("JENIS_LANTAI")[0].GetString());

        var outside = await client.PutAsJsonAsync($"/api/families/{other.Id}", new { version = 1, fields = new Dictionary<string, string> { ["JENIS_LANTAI"] = "2" } });
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);

        var officer = await app.SignInAsAgencyOfficerAsync();
        var forbidden = await officer.PutAsJsonAsync($"/api/families/{family.Id}", new { version = version + 1, fields = new Dictionary<string, string> { ["JENIS_LANTAI"] = "2" } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_accepted_change_request_is_applied_once_from_its_page_after_showing_the_diff(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, _members);
        var child = family.Persons.Single(p => p.HubunganKk == 4);
        var client = await app.SignInAsVillageOperatorAsync();

        var invalid = await client.PostAsJsonAsync($"/api/families/{family.Id}/change-requests",
            new { description = "Lantai sudah diplester semen.", changes = new[] { new { personId = (long?)null, field = "JENIS_LANTAI", value = "15" } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Nilai di luar", await invalid.Content.ReadAsStringAsync());

        var proposed = await client.PostAsJsonAsync($"/api/families/{family.Id}/change-requests", new
        {
            description = "Lantai sudah diplester semen; Bagus lulus SMA.",
            changes = new[] { new { personId = (long?)null, field = "JENIS_LANTAI", value = "6" }, new { personId = (long?)child.Id, field = "PENDIDIKAN", value = "5" } },
        });
        var requestId = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.True((await client.PostAsJsonAsync($"/api/change-requests/{requestId}/decision", new { accept = true, note = "Sudah dicek" })).IsSuccessStatusCode);

        var page = await ParseAsync(await client.GetStringAsync($"/Usulan/{requestId}"));
        var diff = page.QuerySelector("#diff")!.TextContent;
        Assert.Contains("JENIS_LANTAI", diff);
        Assert.Contains("PENDIDIKAN", diff);
        var applied = await PostFormAsync(client, $"/Usulan/{requestId}", new() { ["version"] = page.QuerySelector("input[name=version]")!.GetAttribute("value")! });
        Assert.NotNull((await ParseAsync(await applied.Content.ReadAsStringAsync())).QuerySelector("#diterapkan"));

        var again = await client.PostAsJsonAsync($"/api/change-requests/{requestId}/apply", new { version = 1 });
        Assert.Equal("AlreadyApplied", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString());
        await using var db = app.Database.CreateDb();
        Assert.Equal(6, (await db.Families.SingleAsync(f => f.Id == family.Id)).JenisLantai);
        var lines = await db.FamilyChanges.Where(c => c.FamilyId == family.Id).ToListAsync();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal((ChangeSource.ChangeRequest, "usulan:" + requestId), (l.Source, l.SourceRef!)));
    }
}
