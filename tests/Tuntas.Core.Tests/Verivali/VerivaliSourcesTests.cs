using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Attachments;
using Tuntas.Core.Tests.Imports;
using Tuntas.Demo;
using Tuntas.Imports;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.Core.Tests.Verivali;

/// <summary>Where worklist lines come from besides the registry's own dates (targeting errors, duplicates, villagers'
/// proposals), and the photos of a visit.</summary>
public sealed class VerivaliSourcesTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Keden = "33.14.01.2001";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Opening_a_period_lists_the_targeting_error_worklist_as_inklusi_and_eksklusi_each_family_once(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedTargetingDefaults(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await new SeedDemoRegistry(test.Database, TimeProvider.System).RunAsync(new GenerateDemoRegistry.Input(Families: 300, Seed: 4), null, CancellationToken.None);
        var run = await new RunTargeting(test.Database, TimeProvider.System).RunAsync(new("uji", new DateOnly(2026, 11, 23)), CancellationToken.None);
        var report = await new TargetingErrorReport(test.Database).RunAsync(new(run.Id), CancellationToken.None);
        var inclusion = report.Worklist.Where(w => w.Category is TargetingErrorReport.NotEligible or TargetingErrorReport.WellOff or TargetingErrorReport.NoLivingMember)
            .Select(w => w.FamilyId).ToHashSet();
        var exclusion = report.Worklist.Where(w => w.Category is TargetingErrorReport.Missed or TargetingErrorReport.PoorestMissed).Select(w => w.FamilyId).ToHashSet();
        Assert.NotEmpty(inclusion);
        Assert.NotEmpty(exclusion);
        await using var db = test.Database.CreateDb();
        // Families verified last month leave the 12-month reason, so only the error worklist puts some of them on the list.
        await db.Families.ExecuteUpdateAsync(u => u.SetProperty(f => f.VerifiedAt, new DateOnly(2026, 10, 1)));

        var opened = await new OpenPeriod(db, _clock, test.Database).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);

        var lines = await db.VerivaliLines.AsNoTracking().Where(l => l.PeriodId == opened.Period!.Id).ToListAsync();
        Assert.Equal(lines.Count, opened.Lines);
        Assert.Equal(lines.Count, lines.Select(l => l.FamilyId).Distinct().Count());
        Assert.Equal(inclusion.Order(), lines.Where(l => l.Reasons.Split(',').Contains(VerivaliTerms.ReasonInclusion)).Select(l => l.FamilyId!.Value).Order());
        Assert.Equal(exclusion.Order(), lines.Where(l => l.Reasons.Split(',').Contains(VerivaliTerms.ReasonExclusion)).Select(l => l.FamilyId!.Value).Order());
        Assert.DoesNotContain(lines, l => l.Reasons.Split(',').Contains(VerivaliTerms.ReasonNotVerified));

        // Another producer (record linkage) adds its reason once to a listed family and lists an unlisted one.
        var listed = lines[0].FamilyId!.Value;
        var unlisted = await db.Families.Where(f => !db.VerivaliLines.Any(l => l.FamilyId == f.Id)).Select(f => f.Id).FirstAsync();
        Assert.Equal(1, await OpenPeriod.AddReasonAsync(db, opened.Period!.Id, VerivaliTerms.ReasonDuplicate, [listed, unlisted], CancellationToken.None));
        Assert.Equal(0, await OpenPeriod.AddReasonAsync(db, opened.Period.Id, VerivaliTerms.ReasonDuplicate, [listed, unlisted], CancellationToken.None));
        Assert.Equal(lines[0].Reasons + "," + VerivaliTerms.ReasonDuplicate, await db.VerivaliLines.Where(l => l.FamilyId == listed).Select(l => l.Reasons).SingleAsync());
        Assert.Equal(VerivaliTerms.ReasonDuplicate, await db.VerivaliLines.Where(l => l.FamilyId == unlisted).Select(l => l.Reasons).SingleAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_opening_starts_the_duplicates_search_which_puts_both_kks_of_a_household_registered_twice_on_the_list(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (file, _, _) = DuplicateRegistry.Write();
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file, "ganda.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        // Every family verified recently: only the duplicates search puts families on the list.
        await db.Families.ExecuteUpdateAsync(u => u.SetProperty(f => f.VerifiedAt, new DateOnly(2026, 10, 1)));
        var opened = await new OpenPeriod(db, _clock, test.Database).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);
        Assert.Equal((0, VerivaliTerms.DuplicatesPending), (opened.Lines, opened.Period!.DuplicatesStatus));

        var search = new SearchDuplicatesAtOpening(test.Database, _clock);
        var done = Assert.Single(await search.RunPendingAsync(CancellationToken.None));

        var twice = await db.Families.Where(f => f.NoKk == ImportFileBuilder.NoKkFor(507) || f.NoKk == ImportFileBuilder.NoKkFor(600)).Select(f => f.Id).ToListAsync();
        var lines = await db.VerivaliLines.AsNoTracking().Where(l => l.PeriodId == opened.Period.Id).ToListAsync();
        Assert.Equal(twice.Order(), lines.Select(l => l.FamilyId!.Value).Order());
        Assert.All(lines, l => Assert.Equal(VerivaliTerms.ReasonDuplicate, l.Reasons));
        Assert.Equal((VerivaliTerms.DuplicatesDone, 2), (done.Status, done.Families));
        var period = await db.VerivaliPeriods.AsNoTracking().SingleAsync(p => p.Id == opened.Period.Id);
        Assert.Equal((VerivaliTerms.DuplicatesDone, 2, _clock.GetUtcNow().UtcDateTime), (period.DuplicatesStatus, period.DuplicatesFamilies, period.DuplicatesAt));
        // Nothing waits any more: the worker's next tick does nothing.
        Assert.Empty(await search.RunPendingAsync(CancellationToken.None));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_proposed_family_is_checked_like_an_import_and_reaches_the_berita_acara_and_the_proposal_by_name(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var village = AccessScope.Within(Keden);
        var propose = new ProposeNewFamily(db, _clock);
        var nik = Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 77);
        ProposeNewFamily.Input Input(Dictionary<string, string?> family, params Dictionary<string, string?>[] members) =>
            new(family, members, "diusulkan RT 3", village, Roles.VillageOperator, "operator");

        Assert.Equal("NO_OPEN_PERIOD", Assert.Single((await propose.RunAsync(Input(ProposedFamilies.Family(), ProposedFamilies.Head(nik)), CancellationToken.None)).Problems).Code);
        var period = (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None)).Period!;
        var existingNik = await db.Persons.Select(p => p.Nik).FirstAsync();
        var refused = await propose.RunAsync(Input(ProposedFamilies.Family(), ProposedFamilies.Head("123"), ProposedFamilies.Head(existingNik)), CancellationToken.None);
        Assert.True(refused.Problems.Any(p => p is { Field: "members[1].NIK", Code: "NIK_FORMAT" }), string.Join("; ", refused.Problems.Select(p => p.Field + " " + p.Code)));
        Assert.True(refused.Problems.Any(p => p is { Field: "members[2].NIK", Code: "NIK_OTHER_FAMILY" }), string.Join("; ", refused.Problems.Select(p => p.Field + " " + p.Code)));
        Assert.Contains(refused.Problems, p => p.Code == "MEMBERS_REQUIRED");
        var bad = ProposedFamilies.Family();
        bad["JENIS_LANTAI"] = "12";
        Assert.Contains((await propose.RunAsync(Input(bad, ProposedFamilies.Head(nik)), CancellationToken.None)).Problems, p => p is { Field: "JENIS_LANTAI", Code: "OUT_OF_RANGE" });
        Assert.Equal("DESA_OUTSIDE", Assert.Single((await propose.RunAsync(Input(ProposedFamilies.Family("33.14.02.2001"), ProposedFamilies.Head(nik)), CancellationToken.None)).Problems).Code);
        Assert.Equal(0, await db.VerivaliLines.CountAsync(l => l.FamilyId == null));

        var proposed = await propose.RunAsync(Input(ProposedFamilies.Family(), ProposedFamilies.Head(nik)), CancellationToken.None);
        var line = proposed.Line!;
        Assert.Empty(proposed.Problems);
        Assert.Equal((VerivaliTerms.ReasonNewFamily, VerivaliTerms.NewFamily, VerivaliTerms.Visited, Keden), (line.Reasons, line.Outcome, line.Status, line.KodeDesa));
        Assert.Null((await new ReviewVisit(db, _clock).RunAsync(new ReviewVisit.Input(line.Id, true, village, Roles.VillageOperator, "operator"), CancellationToken.None)).Problem);
        var row = Assert.Single((await new BeritaAcara(db).RunAsync(period.Id, Keden, village, CancellationToken.None))!.Rows);
        Assert.Equal(("penambahan", "Wagiman", NoKk.Mask("3314010101200077"), "003"), (row.Kind, row.Head, row.NoKkMasked, row.Rt));
        Assert.Equal(1, (await new DecideLines(db, _clock).RunAsync(new DecideLines.Input(new Dictionary<long, string> { [line.Id] = VerivaliTerms.Agree }, village,
            Roles.VillageOperator, "operator"), CancellationToken.None)).Decided);
        Assert.Null((await new CloseMusdes(db, _clock).RunAsync(new CloseMusdes.Input(period.Id, Keden, new DateOnly(2026, 11, 20), "scan.pdf", village, "operator"), CancellationToken.None)).Problem);
        var families = await db.Families.CountAsync();
        var apply = new ApplyDecisions(db, new RegistryWriter(db, _clock), _clock);
        var applied = await apply.RunAsync(new ApplyDecisions.Input(period.Id, Keden, village, "operator"), CancellationToken.None);
        Assert.Equal((1, 1, 0, 0), (applied.Applied, applied.Registered, applied.Conflicts, applied.Invalid));

        // The agreed family is registered with its member, through the one writer (source musdes), and the line points at it.
        Assert.Equal(families + 1, await db.Families.CountAsync());
        var registered = await db.Families.AsNoTracking().Include(f => f.Persons).SingleAsync(f => f.NoKk == "3314010101200077");
        Assert.Equal((Keden, "Dukuh Baru", 8, 1L), (registered.KodeDesa, registered.Alamat, registered.JenisLantai, registered.Version));
        Assert.Equal(new DateOnly(2026, 11, 23), registered.VerifiedAt);
        var head = Assert.Single(registered.Persons);
        Assert.Equal((nik, "Wagiman", 1, LifeStatus.Hidup), (head.Nik, head.Nama, head.HubunganKk, head.StatusHidup));
        var history = await db.FamilyChanges.AsNoTracking().Where(c => c.FamilyId == registered.Id).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["KELUARGA_BARU", "VERIFIKASI"], history.Select(c => c.Field));
        Assert.All(history, c => Assert.Equal((ChangeSource.Musdes, "verivali:" + line.Id), (c.Source, c.SourceRef)));
        Assert.Equal((registered.Id, VerivaliTerms.Applied), await db.VerivaliLines.Where(l => l.Id == line.Id).Select(l => new ValueTuple<long?, string>(l.FamilyId, l.Status)).SingleAsync());
        // Applying again changes nothing.
        Assert.Equal(0, (await apply.RunAsync(new ApplyDecisions.Input(period.Id, Keden, village, "operator"), CancellationToken.None)).Applied);
        Assert.Equal(families + 1, await db.Families.CountAsync());

        using var csv = new MemoryStream();
        Assert.Equal(1, await new ExportProposal(db).WriteAsync(period.Id, AccessScope.Regency, true, false, csv, CancellationToken.None));
        var text = System.Text.Encoding.UTF8.GetString(csv.ToArray());
        Assert.Contains("penambahan", text, StringComparison.Ordinal);
        Assert.Contains("3314010101200077", text, StringComparison.Ordinal);
        Assert.Contains(nik, text, StringComparison.Ordinal);
        Assert.Contains("Wagiman", text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_agreed_proposal_whose_no_kk_was_registered_since_is_a_conflict_and_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var village = AccessScope.Within(Keden);
        var period = (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None)).Period!;
        var line = (await new ProposeNewFamily(db, _clock).RunAsync(new ProposeNewFamily.Input(ProposedFamilies.Family(),
            [ProposedFamilies.Head(Nik.Compose("331401", new DateOnly(1990, 4, 5), 1, 77))], null, village, Roles.VillageOperator, "operator"), CancellationToken.None)).Line!;
        Assert.Null((await new ReviewVisit(db, _clock).RunAsync(new ReviewVisit.Input(line.Id, true, village, Roles.VillageOperator, "operator"), CancellationToken.None)).Problem);
        await new DecideLines(db, _clock).RunAsync(new DecideLines.Input(new Dictionary<long, string> { [line.Id] = VerivaliTerms.Agree }, village, Roles.VillageOperator, "operator"), CancellationToken.None);
        Assert.Null((await new CloseMusdes(db, _clock).RunAsync(new CloseMusdes.Input(period.Id, Keden, new DateOnly(2026, 11, 20), "scan.pdf", village, "operator"), CancellationToken.None)).Problem);
        // After the village's musdes, new work for it would wait for a meeting already held: refused, saying so.
        var late = await new ProposeNewFamily(db, _clock).RunAsync(new ProposeNewFamily.Input(ProposedFamilies.Family(),
            [ProposedFamilies.Head(Nik.Compose("331401", new DateOnly(1991, 4, 5), 1, 78))], null, village, Roles.VillageOperator, "operator"), CancellationToken.None);
        Assert.Contains(late.Problems, p => p.Code == "MUSDES_DONE");
        var unvisited = await db.VerivaliLines.AsNoTracking().FirstAsync(l => l.PeriodId == period.Id && l.KodeDesa == Keden && l.Status == VerivaliTerms.Open);
        Assert.Equal("MUSDES_DONE", (await new RecordVisit(db, _clock).RunAsync(new RecordVisit.Input(unvisited.Id, VerivaliTerms.Unchanged, [], null, village,
            Roles.VillageOperator, "operator"), CancellationToken.None)).Problem!.Code);
        Assert.Equal("MUSDES_DONE", (await new ReviewVisit(db, _clock).RunAsync(new ReviewVisit.Input(unvisited.Id, true, village, Roles.VillageOperator, "operator"),
            CancellationToken.None)).Problem!.Code);
        // Between the musdes and the apply, a file registers a family under the proposed NO_KK.
        var taken = await db.Families.FirstAsync();
        await db.Families.Where(f => f.Id == taken.Id).ExecuteUpdateAsync(u => u.SetProperty(f => f.NoKk, "3314010101200077"));
        var families = await db.Families.CountAsync();

        var applied = await new ApplyDecisions(db, new RegistryWriter(db, _clock), _clock).RunAsync(new ApplyDecisions.Input(period.Id, Keden, village, "operator"), CancellationToken.None);

        Assert.Equal((0, 1, 0), (applied.Applied, applied.Conflicts, applied.Invalid));
        Assert.Equal(families, await db.Families.CountAsync());
        var after = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == line.Id);
        Assert.Equal((null, VerivaliTerms.Decided, VerivaliTerms.ResultConflict), (after.FamilyId, after.Status, after.ApplyResult));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_visit_keeps_its_photos_refuses_documents_and_more_than_five_and_the_musdes_sees_them(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var village = AccessScope.Within(Keden);
        var period = (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None)).Period!;
        var lineId = await db.VerivaliLines.Select(l => l.Id).SingleAsync();
        var folder = Path.Combine(Path.GetTempPath(), "tuntas-foto-" + Guid.NewGuid().ToString("N"));
        var visit = new RecordVisit(db, _clock, new AttachmentStore(folder));
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        byte[] pdf = "%PDF-1.4\n"u8.ToArray();
        RecordVisit.Input Input(params AttachmentRules.Upload[] photos) => new(lineId, VerivaliTerms.Unchanged, [], "rumah", village, Roles.VillageOperator, "operator", photos);

        Assert.Equal("PHOTO_TYPE", (await visit.RunAsync(Input(new AttachmentRules.Upload("surat.pdf", pdf)), CancellationToken.None)).Problem!.Code);
        Assert.Equal("ATTACHMENT_TOO_LARGE", (await visit.RunAsync(Input(new AttachmentRules.Upload("besar.png", [.. png, .. new byte[AttachmentRules.MaxBytes]])), CancellationToken.None)).Problem!.Code);
        Assert.Equal("PHOTO_COUNT", (await visit.RunAsync(Input([.. Enumerable.Range(0, 6).Select(i => new AttachmentRules.Upload($"f{i}.png", png))]), CancellationToken.None)).Problem!.Code);
        Assert.Equal(VerivaliTerms.Open, await db.VerivaliLines.Where(l => l.Id == lineId).Select(l => l.Status).SingleAsync());
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any());

        Assert.Null((await visit.RunAsync(Input(new AttachmentRules.Upload("rumah depan.png", png)), CancellationToken.None)).Problem);
        var stored = await db.VerivaliLinePhotos.AsNoTracking().SingleAsync();
        Assert.Equal(("rumah_depan.png", "image/png", "operator"), (stored.FileName, stored.ContentType, stored.UploadedBy));
        Assert.Equal(png, await File.ReadAllBytesAsync(Path.Combine(folder, stored.StoredName)));
        Assert.Null((await new ReviewVisit(db, _clock).RunAsync(new ReviewVisit.Input(lineId, true, village, Roles.VillageOperator, "operator"), CancellationToken.None)).Problem);
        var photo = Assert.Single(Assert.Single((await new BeritaAcara(db).RunAsync(period.Id, Keden, village, CancellationToken.None))!.Rows).Photos);
        Assert.Equal(((string StoredName, string FileName)?)(stored.StoredName, "rumah_depan.png"), await LinePhotos.FindAsync(db, lineId, photo.Key, CancellationToken.None));
        Assert.Null(await LinePhotos.FindAsync(db, lineId + 1, photo.Key, CancellationToken.None));
        Directory.Delete(folder, true);
    }
}
