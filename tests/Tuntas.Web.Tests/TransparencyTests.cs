using System.Net;
using Tuntas.PublicPortal;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>Public aggregates with small counts suppressed, as a page and as open-data CSV.</summary>
public sealed class TransparencyTests
{
    [Fact]
    public void Counts_from_1_to_4_are_hidden_and_one_more_so_that_the_total_does_not_give_them_away()
    {
        var cells = new List<Dictionary<string, long?>>
        {
            new() { ["k"] = 3 }, new() { ["k"] = 9 }, new() { ["k"] = 0 }, new() { ["k"] = 7 },
        };
        Transparency.Suppress(cells, "k");
        Assert.Equal([null, 9, 0, null], cells.Select(c => c["k"]));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_public_sees_village_aggregates_without_small_cells_or_names(string provider)
    {
        await using var app = await CreateAsync(provider);
        for (var i = 0; i < 6; i++)
        {
            await app.SeedFamilyAsync(Keden, new SeededMember("Warga Keden " + i, 1, new DateOnly(1970, 1, 1 + i), 1));
        }
        for (var i = 0; i < 3; i++)
        {
            await app.SeedFamilyAsync(Trobayan, new SeededMember("Warga Trobayan " + i, 1, new DateOnly(1971, 1, 1 + i), 1));
        }
        for (var i = 0; i < 8; i++)
        {
            await app.SeedFamilyAsync("33.14.01.2003", new SeededMember("Warga Lain " + i, 2, new DateOnly(1972, 1, 1 + i), 1));
        }
        var citizen = app.CreateBrowser();
        var page = await citizen.GetAsync("/Publik/Transparansi/33.14.01");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Warga", html, StringComparison.Ordinal);
        var table = await ParseAsync(html);
        string Families(string code) => table.QuerySelector($"#transparansi tr[data-code='{code}'] td.num")!.TextContent;
        Assert.Equal("<5", Families(Trobayan));
        Assert.Equal("<5", Families(Keden)); // secondary: the smallest other cell, so 17 − 8 does not give Trobayan's 3
        Assert.Equal("8", Families("33.14.01.2003"));
        Assert.Equal("17", table.QuerySelector("#transparansi tfoot th.num")!.TextContent);

        var csv = await citizen.GetStringAsync("/api/public/transparency/33.14.01/csv");
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("KODE,NAMA,KELUARGA,", lines[0], StringComparison.Ordinal);
        var trobayan = lines.Single(l => l.StartsWith(Trobayan, StringComparison.Ordinal)).Split(',');
        Assert.Equal("", trobayan[2]);
        Assert.Equal("1", trobayan[^1]);
        Assert.Equal(HttpStatusCode.NotFound, (await citizen.GetAsync("/Publik/Transparansi/35.03")).StatusCode); // not this regency
    }
}
