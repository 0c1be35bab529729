using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.Planning;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Cli.Tests;

/// <summary><c>tuntas upk rencana|kegiatan|penerima|bantuan|pemetaan</c> through the same Core use cases as the pages (docs/p2kp.md).</summary>
public sealed class UpkPlanningCommandTests
{
    private const string Desa = "33.14.01.2001";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Plans_activities_beneficiaries_grants_and_the_community_mapping_from_the_command_line(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var clock = TimeProvider.System;
        var file = new ImportFileBuilder();
        for (var i = 1; i <= 3; i++)
        {
            file.Family(700 + i, children: 0);
        }
        Assert.True((await new ImportFamilies(test.Database, clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "f.csv", false, "t"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var (bkm, _) = await new SaveBkm(db, clock).RunAsync(new SaveBkm.Input(Desa, "BKM Maju", null, "t", Roles.Administrator, AccessScope.Regency), CancellationToken.None);
        var plan = (await new SavePlan(db, clock).RunAsync(new(bkm!.Id, "PJM", 2025, "PJM 2025–2027", "t", Roles.Administrator, AccessScope.Regency), CancellationToken.None)).Plan!;
        var activity = (await new SaveActivity(db, clock).RunAsync(new(plan.Id, null, "LINGKUNGAN", "Sumur bor", new Dictionary<string, SaveActivity.Line> { ["APBDES"] = new(9_000_000, 0) },
            null, "t", Roles.Administrator, AccessScope.Regency), CancellationToken.None)).Activity!;
        var families = await db.Families.OrderBy(f => f.Id).Select(f => new { f.Id, f.NoKk }).ToListAsync();
        string Id(int i) => families[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(1, JsonDocument.Parse((await CliRunner.RunAsync(test.Database, "upk", "rencana", "--json")).Out).RootElement.GetArrayLength());
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "upk", "penerima", activity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tambah", Id(0), Id(1))).ExitCode);
        var row = JsonDocument.Parse((await CliRunner.RunAsync(test.Database, "upk", "kegiatan", "--json")).Out).RootElement[0];
        Assert.Equal(("Sumur bor", 2), (row.GetProperty("activity").GetString(), row.GetProperty("beneficiaries").GetInt32()));
        var csv = Path.Combine(Path.GetTempPath(), "kegiatan-" + Guid.NewGuid().ToString("N") + ".csv");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "upk", "kegiatan", "--out", csv)).ExitCode);
        Assert.Contains("Sumur bor", await File.ReadAllTextAsync(csv), StringComparison.Ordinal);

        var refused = await CliRunner.RunAsync(test.Database, "upk", "bantuan", "catat", "--bkm", bkm.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--keluarga", Id(0),
            "--jenis", "PANGAN", "--sumber", "SWADAYA");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("REQUIRED", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "upk", "bantuan", "catat", "--bkm", bkm.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--keluarga", Id(0),
            "--jenis", "PANGAN", "--natura", "beras 10 kg", "--sumber", "SWADAYA", "--tanggal", "2026-09-01")).ExitCode);
        var grants = JsonDocument.Parse((await CliRunner.RunAsync(test.Database, "upk", "bantuan", "list", "--desa", "3314012001", "--json")).Out).RootElement;
        Assert.Equal("beras 10 kg", grants.GetProperty("grants")[0].GetProperty("inKind").GetString());

        var mapping = Path.Combine(Path.GetTempPath(), "pemetaan-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(mapping, $"NO_KK,KATEGORI\n{families[0].NoKk},miskin\n{families[1].NoKk},kaya\n");
        var bad = await CliRunner.RunAsync(test.Database, "upk", "pemetaan", "import", mapping, "--desa", Desa, "--tahun", "2026", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(bad.Out).RootElement.GetProperty("errors")[0].GetProperty("row").GetInt32());
        await File.WriteAllTextAsync(mapping, $"NO_KK,KATEGORI\n{families[0].NoKk},miskin\n{families[1].NoKk},tidak miskin\n");
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "upk", "pemetaan", "import", mapping, "--desa", Desa, "--tahun", "2026")).ExitCode);
        var overview = JsonDocument.Parse((await CliRunner.RunAsync(test.Database, "upk", "pemetaan", "list", "--desa", Desa, "--tahun", "2026", "--json")).Out).RootElement;
        Assert.Equal(1, overview.GetProperty("rts")[0].GetProperty("miskin").GetInt32());
        File.Delete(csv);
        File.Delete(mapping);
    }
}
