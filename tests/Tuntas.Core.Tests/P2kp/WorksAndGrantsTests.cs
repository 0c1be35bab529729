using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Attachments;
using Tuntas.P2kp;
using Tuntas.P2kp.Planning;
using Tuntas.P2kp.Works;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.P2kp;

/// <summary>A BKM's works and social grants (docs/p2kp.md): beneficiary families, progress with photos, UPS grants, the family's side, the exports.</summary>
public sealed class WorksAndGrantsTests
{
    private const string Desa = "33.14.01.2001";
    private const string OtherDesa = "33.14.02.2001";

    private static readonly byte[] _jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];
    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
    private static readonly byte[] _pdf = "%PDF-1.4 works"u8.ToArray();

    private static async Task<(long ActivityId, long BkmId, List<long> Families, long Elsewhere)> DrainageAsync(TestDatabase test)
    {
        await LoanLifecycleTests.VillageWithFamiliesAsync(test);
        await using var db = test.Database.CreateDb();
        var bkm = await db.Bkms.SingleAsync(b => b.KodeDesa == Desa);
        var village = AccessScope.Within(Desa);
        var plan = (await new SavePlan(db, LoanLifecycleTests.Clock).RunAsync(new(bkm.Id, "PJM", 2025, "PJM 2025–2027", "op", Roles.VillageOperator, village), CancellationToken.None)).Plan!;
        var activity = (await new SaveActivity(db, LoanLifecycleTests.Clock).RunAsync(new(plan.Id, null, "LINGKUNGAN", "Drainase RT 2",
            new Dictionary<string, SaveActivity.Line> { ["BLM_APBN"] = new(50_000_000, 20_000_000) }, null, "op", Roles.VillageOperator, village), CancellationToken.None)).Activity!;
        var families = await db.Families.Where(f => f.KodeDesa == Desa).OrderBy(f => f.Id).Select(f => f.Id).ToListAsync();
        var elsewhere = await db.Families.Where(f => f.KodeDesa == OtherDesa).Select(f => f.Id).FirstAsync();
        return (activity.Id, bkm.Id, families, elsewhere);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_work_names_its_beneficiary_families_and_reports_progress_with_photos_checked_by_their_bytes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (activityId, _, families, elsewhere) = await DrainageAsync(test);
        await using var db = test.Database.CreateDb();
        var village = AccessScope.Within(Desa);
        // Everything but the last family's members died: that family may not be named any more.
        var dead = families[^1];
        await db.Persons.Where(p => p.FamilyId == dead).ExecuteUpdateAsync(s => s.SetProperty(p => p.StatusHidup, LifeStatus.Meninggal));

        var beneficiaries = new ActivityBeneficiaries(db, LoanLifecycleTests.Clock);
        ActivityBeneficiaries.Input Add(params long[] ids) => new(activityId, ids, [], "op", Roles.VillageOperator, village);
        Assert.Equal("FAMILY_OTHER_VILLAGE", Assert.Single((await beneficiaries.RunAsync(Add(families[0], elsewhere), CancellationToken.None)).Problems).Code);
        Assert.Equal("NO_LIVING_MEMBER", Assert.Single((await beneficiaries.RunAsync(Add(families[0], dead), CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await beneficiaries.RunAsync(Add(families[0]) with { Role = Roles.Partner }, CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await beneficiaries.RunAsync(Add(families[0]) with { Scope = AccessScope.Within(OtherDesa) }, CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.P2kpBeneficiaries.CountAsync());
        Assert.Equal(2, (await beneficiaries.RunAsync(Add(families[0], families[1], families[1]), CancellationToken.None)).Added);
        Assert.Equal(0, (await beneficiaries.RunAsync(Add(families[0]), CancellationToken.None)).Added);
        Assert.Equal(1, (await beneficiaries.RunAsync(new(activityId, [families[2]], [families[1]], "op", Roles.VillageOperator, village), CancellationToken.None)).Removed);

        var folder = Path.Combine(Path.GetTempPath(), "tuntas-works-" + Guid.NewGuid().ToString("N"));
        var store = new AttachmentStore(folder);
        var record = new RecordProgress(db, LoanLifecycleTests.Clock, store);
        RecordProgress.Input Report(int percent, params AttachmentRules.Upload[] photos) =>
            new(activityId, new DateOnly(2026, 9, 1), percent, "galian selesai", photos, "op", Roles.VillageOperator, village);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await record.RunAsync(Report(101), CancellationToken.None)).Problems).Code);
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await record.RunAsync(Report(10) with { OnDate = new DateOnly(2026, 12, 1) }, CancellationToken.None)).Problems).Code);
        Assert.Equal("ATTACHMENT_TYPE", Assert.Single((await record.RunAsync(Report(40, new AttachmentRules.Upload("foto.jpg", _pdf)), CancellationToken.None)).Problems).Code);
        Assert.Equal("ATTACHMENT_TYPE", Assert.Single((await record.RunAsync(Report(40, new AttachmentRules.Upload("foto.jpg", "<svg/>"u8.ToArray())), CancellationToken.None)).Problems).Code);
        var large = new byte[AttachmentRules.MaxBytes + 1];
        _jpeg.CopyTo(large, 0);
        Assert.Equal("ATTACHMENT_TOO_LARGE", Assert.Single((await record.RunAsync(Report(40, new AttachmentRules.Upload("besar.jpg", large)), CancellationToken.None)).Problems).Code);
        Assert.Equal("PHOTO_COUNT", Assert.Single((await record.RunAsync(Report(40, [.. Enumerable.Repeat(new AttachmentRules.Upload("a.jpg", _jpeg), 6)]), CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await record.RunAsync(Report(40) with { Role = Roles.Partner }, CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.P2kpProgress.CountAsync());
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any());

        Assert.Empty((await record.RunAsync(Report(40, new AttachmentRules.Upload("sebelum.jpg", _jpeg), new AttachmentRules.Upload("sesudah.exe.png", _png)), CancellationToken.None)).Problems);
        Assert.Empty((await record.RunAsync(Report(75) with { OnDate = new DateOnly(2026, 10, 1) }, CancellationToken.None)).Problems);
        var stored = await db.P2kpProgressPhotos.OrderBy(p => p.Id).ToListAsync();
        Assert.Equal(["sebelum.jpg", "sesudah_exe.png"], stored.Select(p => p.FileName));
        Assert.All(stored, p => Assert.True(File.Exists(store.PathOf(p.StoredName))));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.tmp"));
        // The start-up sweep knows the progress photos: they are kept.
        Assert.Equal(0, (await store.SweepAsync(db, DateTime.UtcNow.AddDays(1), CancellationToken.None)).Removed);

        var read = new ReadActivity(db);
        var view = (await read.RunAsync(activityId, Roles.VillageOperator, village, CancellationToken.None))!;
        Assert.Equal(75, view.Percent);
        Assert.Equal([75, 40], view.Progress.Select(p => p.Percent));
        Assert.Equal(2, view.Progress[1].Photos.Count);
        Assert.Equal([families[0], families[2]], view.Beneficiaries!.Select(b => b.FamilyId));
        Assert.DoesNotContain(view.Beneficiaries!, b => b.NoKkMasked.All(char.IsAsciiDigit));
        // A partner reads the progress and the count, not the names; another village's reader not at all.
        var partner = (await read.RunAsync(activityId, Roles.Partner, village, CancellationToken.None))!;
        Assert.Null(partner.Beneficiaries);
        Assert.Equal(2, partner.BeneficiaryCount);
        Assert.Null(await read.RunAsync(activityId, Roles.VillageOperator, AccessScope.Within(OtherDesa), CancellationToken.None));
        Assert.NotNull(await read.PhotoAsync(activityId, stored[0].Id, village, CancellationToken.None));
        Assert.Null(await read.PhotoAsync(activityId, stored[0].Id, AccessScope.Within(OtherDesa), CancellationToken.None));

        var work = Assert.Single((await new FamilyWorksAndGrants(db).RunAsync(families[0], CancellationToken.None)).Works);
        Assert.Equal(("Drainase RT 2", 75), (work.Activity, work.Percent));
        Assert.True((await new FamilyWorksAndGrants(db).RunAsync(families[1], CancellationToken.None)).IsEmpty);

        var row = Assert.Single(await new ExportActivities(db).RowsAsync(null, village, CancellationToken.None));
        Assert.Equal((2, 75, 50_000_000L, 20_000_000L), (row.Beneficiaries, row.Percent, row.Planned, row.Realised));
        Assert.Empty(await new ExportActivities(db).RowsAsync(null, AccessScope.Within(OtherDesa), CancellationToken.None));
        using var csv = new MemoryStream();
        Assert.Equal(1, await ExportActivities.WriteAsync(csv, [row], false, CancellationToken.None));
        var lines = System.Text.Encoding.UTF8.GetString(csv.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("RENCANA_ID,RENCANA,JENIS", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",2,75", lines[1].TrimEnd('\r'), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_ups_grants_to_a_family_of_its_desa_only_and_the_grant_shows_on_the_familys_side(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (_, bkmId, families, elsewhere) = await DrainageAsync(test);
        await using var db = test.Database.CreateDb();
        var village = AccessScope.Within(Desa);
        var dead = families[^1];
        await db.Persons.Where(p => p.FamilyId == dead).ExecuteUpdateAsync(s => s.SetProperty(p => p.StatusHidup, LifeStatus.Pindah));
        var give = new GiveGrant(db, LoanLifecycleTests.Clock);
        GiveGrant.Input Grant(long family) => new(bkmId, family, new DateOnly(2026, 8, 17), "santunan", 500_000, null, "apbdes", "op", Roles.VillageOperator, village);

        Assert.Equal("FAMILY_OTHER_VILLAGE", Assert.Single((await give.RunAsync(Grant(elsewhere), CancellationToken.None)).Problems).Code);
        Assert.Equal("NO_LIVING_MEMBER", Assert.Single((await give.RunAsync(Grant(dead), CancellationToken.None)).Problems).Code);
        Assert.Equal("REQUIRED", Assert.Single((await give.RunAsync(Grant(families[0]) with { Amount = 0, InKind = " " }, CancellationToken.None)).Problems).Code);
        Assert.Equal(["INVALID_CODE", "INVALID_CODE", "OUT_OF_RANGE"], (await give.RunAsync(Grant(families[0]) with { Kind = "HADIAH", Source = "ARISAN", Amount = -1 }, CancellationToken.None)).Problems.Select(p => p.Code));
        Assert.Equal("OUT_OF_RANGE", Assert.Single((await give.RunAsync(Grant(families[0]) with { GivenOn = new DateOnly(2027, 1, 1) }, CancellationToken.None)).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await give.RunAsync(Grant(families[0]) with { Scope = AccessScope.Within(OtherDesa) }, CancellationToken.None)).Problems).Code);
        Assert.Equal("NOT_FOUND", Assert.Single((await give.RunAsync(Grant(families[0]) with { BkmId = bkmId + 99 }, CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.P2kpGrants.CountAsync());

        var cash = (await give.RunAsync(Grant(families[0]), CancellationToken.None)).Grant!;
        Assert.Equal(("SANTUNAN", "APBDES"), (cash.Kind, cash.Source));
        Assert.Empty((await give.RunAsync(Grant(families[0]) with { Kind = "PANGAN", Amount = 0, InKind = "beras 10 kg", GivenOn = new DateOnly(2026, 9, 1) }, CancellationToken.None)).Problems);

        var mine = await new FamilyWorksAndGrants(db).RunAsync(families[0], CancellationToken.None);
        Assert.Equal([("PANGAN", 0L, "beras 10 kg"), ("SANTUNAN", 500_000L, (string?)null)], mine.Grants.Select(g => (g.Kind, g.Amount, g.InKind)));
        var list = await new ReadGrants(db).RunAsync(Desa, 2026, Roles.VillageOperator, village, CancellationToken.None);
        Assert.Equal(2, list.Grants.Count);
        Assert.Equal(500_000, list.AmountByKind["SANTUNAN"]);
        Assert.Empty((await new ReadGrants(db).RunAsync(null, null, Roles.Partner, AccessScope.Regency, CancellationToken.None)).Grants);
        Assert.Empty((await new ReadGrants(db).RunAsync(null, 2025, Roles.VillageOperator, village, CancellationToken.None)).Grants);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_community_mapping_is_imported_from_csv_with_every_row_checked_first(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (_, _, families, elsewhere) = await DrainageAsync(test);
        await using var db = test.Database.CreateDb();
        var kk = await db.Families.ToDictionaryAsync(f => f.Id, f => (f.NoKk, f.Rt));
        var mapping = new CommunityMapping(db, test.Database, LoanLifecycleTests.Clock);
        var import = new ImportCommunityMapping(db, mapping);
        Task<ImportCommunityMapping.Outcome> RunAsync(string csv, string role = Roles.VillageOperator, bool dryRun = false) =>
            import.RunAsync(new(Desa, 2026, new StringReader(csv), dryRun, "op", role, AccessScope.Within(Desa)), CancellationToken.None);

        var bad = await RunAsync($"""
            NO_KK;KATEGORI;RT
            {kk[families[0]].NoKk};miskin;{kk[families[0]].Rt}
            {kk[elsewhere].NoKk};miskin;
            {kk[families[1]].NoKk};kaya;
            {kk[families[2]].NoKk};1;999
            {kk[families[0]].NoKk};2;
            ;3;
            """);
        Assert.False(bad.Written);
        Assert.Equal([(3, "NO_KK", "FAMILY_NOT_IN_RT"), (4, "KATEGORI", "INVALID_CODE"), (5, "RT", "FAMILY_NOT_IN_RT"), (6, "NO_KK", "DUPLICATE_KEY"), (7, "NO_KK", "REQUIRED")],
            bad.Errors.Select(e => (e.Row, e.Column, e.Code)));
        Assert.DoesNotContain(bad.Errors, e => e.Message.Contains(kk[elsewhere].NoKk, StringComparison.Ordinal));
        Assert.Equal(0, await db.CommunityMaps.CountAsync());
        Assert.Equal("COLUMN_MISSING", Assert.Single((await RunAsync("KK,KATEGORI\n1,1")).Problems).Code);
        Assert.Equal("FORBIDDEN", Assert.Single((await RunAsync("NO_KK,KATEGORI\n", Roles.Partner)).Problems).Code);

        var csv = $"NO_KK,KATEGORI\n{kk[families[0]].NoKk},miskin\n{kk[families[1]].NoKk},hampir miskin\n{kk[families[2]].NoKk},\n";
        Assert.False((await RunAsync(csv, dryRun: true)).Written);
        Assert.Equal(0, await db.CommunityMaps.CountAsync());
        var done = await RunAsync(csv);
        Assert.Equal((3, 2, true), (done.Rows, done.Recorded, done.Written));
        // Mapping again replaces the family's category of the year.
        Assert.Equal(1, (await RunAsync($"NO_KK,KATEGORI\n{kk[families[0]].NoKk},3\n")).Recorded);
        var overview = (await mapping.ReadAsync(Desa, 2026, null, Roles.VillageOperator, AccessScope.Within(Desa), CancellationToken.None))!;
        Assert.Equal((0, 1, 1), (overview.Rts.Sum(r => r.Miskin), overview.Rts.Sum(r => r.HampirMiskin), overview.Rts.Sum(r => r.TidakMiskin)));
    }
}
