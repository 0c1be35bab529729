using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.Core.Tests.Verivali;

/// <summary>The verivali cycle end to end: period, worklist, relawan visit, review, musdes, apply with conflict, export.</summary>
public sealed class VerivaliCycleTests
{
    private static readonly TimeProvider _clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Keden = "33.14.01.2001";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_period_goes_from_worklist_to_visit_review_musdes_apply_and_export(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, children: 1).Family(3, village: "33.14.02.2001");
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        db.Users.Add(new User { UserName = "relawan.siti", DisplayName = "Siti", PasswordHash = "-", Role = Roles.Relawan, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var village = AccessScope.Within(Keden);

        var opened = await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);
        Assert.Equal(3, opened.Lines);
        Assert.Equal("PERIOD_OPEN", (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester II 2027", "dinsos"), CancellationToken.None)).Problem);
        var lines = await db.VerivaliLines.AsNoTracking().Where(l => l.KodeDesa == Keden).OrderBy(l => l.Id).ToListAsync();
        Assert.All(lines, l => Assert.Equal(VerivaliTerms.ReasonNotVerified, l.Reasons));
        var (first, second) = (lines[0], lines[1]);

        Assert.Equal(2, (await new AssignLines(db).RunAsync(new AssignLines.Input([first.Id, second.Id], "relawan.siti", village, Roles.VillageOperator, "operator"), CancellationToken.None)).Assigned);
        var relawanScope = await new ResolveAccessScope(db, _clock).RunAsync(new ResolveAccessScope.Input(db.Users.Single(u => u.UserName == "relawan.siti").Id, Roles.Relawan, null, null), CancellationToken.None);
        Assert.Equal([first.FamilyId!.Value, second.FamilyId!.Value], relawanScope.Families);

        var visit = new RecordVisit(db, _clock);
        var refused = await visit.RunAsync(new RecordVisit.Input(first.Id, VerivaliTerms.Corrected, [new VisitChange(null, "JENIS_LANTAI", "12")], null, relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None);
        Assert.Equal("OUT_OF_RANGE", Assert.Single(refused.FieldProblems).Code);
        Assert.Null((await visit.RunAsync(new RecordVisit.Input(first.Id, VerivaliTerms.Corrected, [new VisitChange(null, "JENIS_LANTAI", "2")], "Lantai keramik", relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None)).Problem);
        var members = await db.Persons.AsNoTracking().Where(p => p.FamilyId == second.FamilyId).ToListAsync();
        var head = members.Single(p => p.HubunganKk == 1);
        var wife = members.Single(p => p.HubunganKk == 3);
        // A visit that is not what it says is refused when received, where it can still be corrected, not when applied: the
        // head died with no new head named (the registry keeps one living head), a death without its date, the outcome
        // "meninggal" without a death, a new-family proposal on a registered family.
        var headless = await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.Died,
            [new VisitChange(head.Id, RegistryHistory.LifeStatusField, "meninggal", new DateOnly(2026, 9, 1))], null, relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None);
        Assert.Equal("NEW_HEAD_REQUIRED", Assert.Single(headless.FieldProblems).Code);
        var twoHeads = await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.Corrected,
            [new VisitChange(wife.Id, "HUBUNGAN_KK", "1")], null, relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None);
        Assert.Equal("NEW_HEAD_TWO", Assert.Single(twoHeads.FieldProblems).Code);
        var undated = await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.Died,
            [new VisitChange(head.Id, RegistryHistory.LifeStatusField, "meninggal"), new VisitChange(wife.Id, "HUBUNGAN_KK", "1")], null, relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None);
        Assert.Equal(("TANGGAL_STATUS", "REQUIRED"), (Assert.Single(undated.FieldProblems).Field, undated.FieldProblems[0].Code));
        Assert.Equal("OUTCOME_EVENT", (await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.Died, [], null, relawanScope, Roles.Relawan, "relawan.siti"),
            CancellationToken.None)).Problem!.Code);
        Assert.Equal("OUTCOME", (await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.NewFamily, [], null, relawanScope, Roles.Relawan, "relawan.siti"),
            CancellationToken.None)).Problem!.Code);
        Assert.Null((await visit.RunAsync(new RecordVisit.Input(second.Id, VerivaliTerms.Died,
            [new VisitChange(head.Id, RegistryHistory.LifeStatusField, "meninggal", new DateOnly(2026, 9, 1)), new VisitChange(wife.Id, "HUBUNGAN_KK", "1")],
            null, relawanScope, Roles.Relawan, "relawan.siti"), CancellationToken.None)).Problem);

        var review = new ReviewVisit(db, _clock);
        foreach (var line in new[] { first, second })
        {
            Assert.Null((await review.RunAsync(new ReviewVisit.Input(line.Id, true, village, Roles.VillageOperator, "operator"), CancellationToken.None)).Problem);
        }
        var close = new CloseMusdes(db, _clock);
        Assert.Equal("MUSDES_UNDECIDED", (await close.RunAsync(new CloseMusdes.Input(opened.Period!.Id, Keden, new DateOnly(2026, 11, 20), "scan.pdf", village, "operator"), CancellationToken.None)).Problem!.Code);
        var minutes = await new BeritaAcara(db).RunAsync(opened.Period.Id, Keden, village, CancellationToken.None);
        // The head died and his wife heads the family on: the family changes, it is not removed. Members by name.
        Assert.Equal(["perubahan", "perubahan"], minutes!.Rows.Select(r => r.Kind));
        Assert.Contains($"{head.Nama} (anggota {head.Id}): STATUS_HIDUP = meninggal 2026-09-01", minutes.Rows[1].ChangesDescribed, StringComparison.Ordinal);
        Assert.Equal("LINE_NOT_FOUND", (await new DecideLines(db, _clock).RunAsync(new DecideLines.Input(new Dictionary<long, string> { [first.Id] = "setuju" },
            AccessScope.Within("33.14.02.2001"), Roles.VillageOperator, "operator"), CancellationToken.None)).Problem!.Code);
        Assert.Equal(2, (await new DecideLines(db, _clock).RunAsync(new DecideLines.Input(new Dictionary<long, string> { [first.Id] = "setuju", [second.Id] = "setuju" },
            village, Roles.VillageOperator, "operator"), CancellationToken.None)).Decided);
        Assert.Equal("MUSDES_SCAN", (await close.RunAsync(new CloseMusdes.Input(opened.Period.Id, Keden, new DateOnly(2026, 11, 20), null, village, "operator"), CancellationToken.None)).Problem!.Code);
        // A musdes date still to come (2027 typed for 2026) is refused; the day before the clock's is not.
        Assert.Equal("MUSDES_DATE", (await close.RunAsync(new CloseMusdes.Input(opened.Period.Id, Keden, new DateOnly(2027, 3, 5), "scan.pdf", village, "operator"), CancellationToken.None)).Problem!.Code);
        Assert.Null((await close.RunAsync(new CloseMusdes.Input(opened.Period.Id, Keden, new DateOnly(2026, 11, 20), "scan.pdf", village, "operator"), CancellationToken.None)).Problem);

        // The first family changes in the registry after the visit: its decision is not applied (conflict).
        var firstVersion = await db.Families.Where(f => f.Id == first.FamilyId).Select(f => f.Version).SingleAsync();
        Assert.Equal(RegistryWriter.Result.Written, (await new RegistryWriter(db, _clock).WriteAsync(new RegistryWriter.FamilyEdit(first.FamilyId.Value, firstVersion,
            [new RegistryWriter.SetField(null, "JENIS_ATAP", "3")]), "operator", ChangeSource.Editor, village, CancellationToken.None)).Result);

        var apply = new ApplyDecisions(db, new RegistryWriter(db, _clock), _clock);
        var outcome = await apply.RunAsync(new ApplyDecisions.Input(opened.Period.Id, Keden, village, "operator"), CancellationToken.None);
        Assert.Equal((1, 1), (outcome.Applied, outcome.Conflicts));
        Assert.Equal((0, 0), ((await apply.RunAsync(new ApplyDecisions.Input(opened.Period.Id, Keden, village, "operator"), CancellationToken.None)) is var again ? (again.Applied, 0) : default));
        Assert.Equal(LifeStatus.Meninggal, (await db.Persons.AsNoTracking().SingleAsync(p => p.Id == head.Id)).StatusHidup);
        Assert.Equal(8, (await db.Families.AsNoTracking().SingleAsync(f => f.Id == first.FamilyId)).JenisLantai);
        var musdesLines = await db.FamilyChanges.AsNoTracking().Where(c => c.Source == ChangeSource.Musdes).ToListAsync();
        Assert.All(musdesLines, c => Assert.Equal("verivali:" + second.Id, c.SourceRef));
        Assert.Contains(musdesLines, c => c.Field == "VERIFIKASI" && c.NewValue == VerivaliTerms.Died);
        Assert.Equal(VerivaliTerms.ResultConflict, (await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == first.Id)).ApplyResult);

        var progress = await new VillageProgress(db, _clock).RunAsync(opened.Period.Id, AccessScope.Regency, CancellationToken.None);
        var keden = progress.Single(p => p.KodeDesa == Keden);
        Assert.Equal((2, 2, 2, 1, 3), (keden.Lines, keden.Visited, keden.Decided, keden.Applied, keden.DaysSinceMusdes!.Value));

        Assert.Null(await new ClosePeriod(db, _clock).RunAsync(opened.Period.Id, "dinsos", CancellationToken.None));
        using var csv = new MemoryStream();
        Assert.Equal(2, await new ExportProposal(db).WriteAsync(opened.Period.Id, AccessScope.Regency, false, false, csv, CancellationToken.None));
        var summary = Assert.Single(await new ExportProposal(db).SummaryAsync(opened.Period.Id, AccessScope.Regency, CancellationToken.None));
        Assert.Equal((0, 2), (summary.Removals, summary.Changes));
        var exported = System.Text.Encoding.UTF8.GetString(csv.ToArray());
        Assert.Contains($"perubahan,{Keden}", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("pengurangan", exported, StringComparison.Ordinal);
        Assert.Contains($"{head.Nama} (anggota {head.Id})", exported, StringComparison.Ordinal);
    }

    /// <summary>Fails the apply's second chunk just before it commits, as a killed process would: after its families were
    /// written inside the transaction, while it marks its lines.</summary>
    private sealed class KillDuringSecondChunk : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _marks;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(System.Data.Common.DbCommand command,
            Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("verivali_lines", StringComparison.Ordinal) && command.CommandText.Contains("applied_at", StringComparison.Ordinal)
                && ++_marks == 2)
            {
                throw new InvalidOperationException("killed");
            }
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_line_names_a_registered_family_and_an_existing_period_and_neither_can_be_deleted_under_it(string provider)
    {
        // PostgreSQL checks these references once per statement (migration 0043), SQLite by its foreign keys: the same
        // refusals on both.
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, children: 0);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var period = (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None)).Period!;
        var familyId = await db.VerivaliLines.Where(l => l.PeriodId == period.Id).Select(l => l.FamilyId!.Value).FirstAsync();
        var missing = familyId + 1_000_000;

        async Task Refused(string sql, params object[] values) =>
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync(sql, values));
        await Refused("INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status) VALUES ({0}, {1}, {2}, 'x', 'terbuka')", period.Id, Keden, missing);
        await Refused("INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status) VALUES ({0}, {1}, {2}, 'x', 'terbuka')", period.Id + 7, Keden, familyId);
        await Refused("UPDATE verivali_lines SET family_id = {0} WHERE period_id = {1}", missing, period.Id);
        await Refused("DELETE FROM verivali_periods WHERE id = {0}", period.Id);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            // The family's members and history go first, so that only the line's reference stands in the way.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM persons WHERE family_id = {0}", familyId);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM family_changes WHERE family_id = {0}", familyId);
            await Refused("DELETE FROM families WHERE id = {0}", familyId);
        }
        // A new family without a registered row yet (an usulan baru) has no family to name.
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("INSERT INTO verivali_lines (period_id, kode_desa, family_id, reasons, status) VALUES ({0}, {1}, NULL, 'usulan-baru', 'terbuka')", period.Id, Keden));
    }

    /// <summary>The visit form starts from the registry's values: birth place and date (beside the masked NIK, they identify a
    /// person; the API gives them only on an audited reveal) only for a role that sees sensitive data. A visit proposes what
    /// the field form asks: not the ministry's own DESIL_NASIONAL or PENGELUARAN_PERKAPITA.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_visit_form_hides_birth_data_from_field_roles_and_a_visit_cannot_propose_the_ministrys_values(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(new ImportFileBuilder().Family(1).WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var familyId = await db.Families.Select(f => f.Id).SingleAsync();
        await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);
        var line = await db.VerivaliLines.AsNoTracking().SingleAsync();

        var field = (await VisitValues.RunAsync(db, [familyId], showSensitive: false, CancellationToken.None))[familyId];
        var regency = (await VisitValues.RunAsync(db, [familyId], showSensitive: true, CancellationToken.None))[familyId];
        var ministry = await new RecordVisit(db, _clock).RunAsync(new RecordVisit.Input(line.Id, VerivaliTerms.Corrected,
            [new VisitChange(null, "DESIL_NASIONAL", "1"), new VisitChange(null, "PENGELUARAN_PERKAPITA", "300000")], null, AccessScope.Within(Keden), Roles.VillageOperator, "operator"),
            CancellationToken.None);

        Assert.All(field.Members, m => Assert.False(m.Values.ContainsKey("TANGGAL_LAHIR") || m.Values.ContainsKey("TEMPAT_LAHIR")));
        Assert.All(regency.Members, m => Assert.True(m.Values.ContainsKey("TANGGAL_LAHIR") && m.Values.ContainsKey("TEMPAT_LAHIR")));
        Assert.DoesNotContain("DESIL_NASIONAL", VisitValues.FamilyFields);
        Assert.DoesNotContain("PENGELUARAN_PERKAPITA", VisitValues.FamilyFields);
        Assert.Equal(["FIELD_NOT_EDITABLE", "FIELD_NOT_EDITABLE"], ministry.FieldProblems.Select(p => p.Code));
    }

    /// <summary>The berita acara is read out and pinned up at the village meeting, and the proposal's CSV goes round: a NIK
    /// corrected by a visit is masked there and a disability or an income is not printed, unless the export is the full one.</summary>
    [Fact]
    public void Changes_are_described_with_the_nik_masked_and_sensitive_values_hidden_unless_full()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new List<VisitChange>
        {
            new(12, "NIK", "3314011203870001"), new(12, "DISABILITAS", "1"), new(null, "JENIS_LANTAI", "2"),
        });

        var shown = VisitChange.Describe(json);
        var full = VisitChange.Describe(json, full: true);

        Assert.DoesNotContain("3314011203870001", shown, StringComparison.Ordinal);
        Assert.Contains("DISABILITAS = ••••", shown, StringComparison.Ordinal);
        Assert.Contains("JENIS_LANTAI = 2", shown, StringComparison.Ordinal);
        Assert.Contains("NIK = 3314011203870001", full, StringComparison.Ordinal);
        Assert.Contains("DISABILITAS = 1", full, StringComparison.Ordinal);
    }

    /// <summary>A double click on "Buka periode": both requests passed the "none open" check before either inserted, and
    /// two periods opened, each with every village's worklist. The database refuses the second (one open period).</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_openings_at_once_open_one_period(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(new ImportFileBuilder().Family(1).WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        async Task<OpenPeriod.Outcome> OpenAsync(string name)
        {
            await using var db = test.Database.CreateDb();
            return await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input(name, "dinsos"), CancellationToken.None);
        }

        var both = await Task.WhenAll(OpenAsync("Semester I 2027"), OpenAsync("Semester I 2027 (klik kedua)"));

        Assert.Single(both, o => o.Period is not null);
        Assert.Single(both, o => o.Problem == "PERIOD_OPEN");
        await using var check = test.Database.CreateDb();
        Assert.Equal(1, await check.VerivaliPeriods.CountAsync());
        Assert.Equal(1, await check.VerivaliLines.CountAsync());
        // The database holds the rule whatever the code in front of it checks (the interleaving above is the machine's).
        var second = await Assert.ThrowsAnyAsync<Exception>(() => check.Database.ExecuteSqlRawAsync(
            "INSERT INTO verivali_periods (name, opened_by, opened_at, duplicates_status) VALUES ('kedua', 'x', '2026-11-23', 'selesai')"));
        Assert.Contains("ux_verivali_periods_one_open", second.Message + second.InnerException?.Message, StringComparison.Ordinal);
    }

    /// <summary>A double click on "Terapkan": two applies at once. The registry was written once, but the second found
    /// every family's version moved by the first and marked every line "konflik" over the first's "diterapkan", and said
    /// "0 diterapkan, N konflik". Whatever the interleaving, each line is now applied once and counted once.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Two_applies_at_once_apply_and_count_each_line_once_and_mark_none_a_conflict(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (count, periodId) = await AgreedChangesAfterClosedMusdesAsync(test);
        var village = AccessScope.Within(Keden);
        async Task<ApplyDecisions.Outcome> ApplyAsync()
        {
            await using var db = test.Database.CreateDb();
            return await new ApplyDecisions(db, new RegistryWriter(db, _clock), _clock).RunAsync(new ApplyDecisions.Input(periodId, Keden, village, "operator"), CancellationToken.None);
        }

        var both = await Task.WhenAll(ApplyAsync(), ApplyAsync());

        Assert.Equal((count, 0), (both.Sum(o => o.Applied), both.Sum(o => o.Conflicts)));
        await using var check = test.Database.CreateDb();
        var lines = await check.VerivaliLines.AsNoTracking().ToListAsync();
        Assert.All(lines, l => Assert.Equal((VerivaliTerms.Applied, VerivaliTerms.ResultApplied), (l.Status, l.ApplyResult)));
        Assert.Equal(count, await check.Families.CountAsync(f => f.JenisLantai == 2));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_killed_apply_leaves_every_family_fully_applied_or_untouched_and_the_next_apply_finishes(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (count, periodId) = await AgreedChangesAfterClosedMusdesAsync(test);
        Dictionary<long, long> versions;
        await using (var db = test.Database.CreateDb())
        {
            versions = await db.Families.ToDictionaryAsync(f => f.Id, f => f.Version);
        }
        var village = AccessScope.Within(Keden);
        var options = new DbContextOptionsBuilder<Tuntas.Data.TuntasDb>();
        test.Database.Configure(options);
        options.AddInterceptors(new KillDuringSecondChunk());
        await using (var killed = new Tuntas.Data.TuntasDb(options.Options))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new ApplyDecisions(killed, new RegistryWriter(killed, _clock), _clock).RunAsync(new ApplyDecisions.Input(periodId, Keden, village, "operator"), CancellationToken.None));
        }

        await using (var db = test.Database.CreateDb())
        {
            var lines = await db.VerivaliLines.AsNoTracking().ToDictionaryAsync(l => l.FamilyId!.Value);
            var families = await db.Families.AsNoTracking().ToListAsync();
            var history = (await db.FamilyChanges.AsNoTracking().Where(c => c.Source == ChangeSource.Musdes).Select(c => c.FamilyId).ToListAsync()).ToHashSet();
            // The first chunk committed with its lines; the second left no trace: no family half-written, no line marked without its family.
            Assert.Equal(RegistryWriter.ChunkSize, lines.Values.Count(l => l.AppliedAt != null));
            Assert.All(families, f =>
            {
                var applied = lines[f.Id].AppliedAt is not null;
                Assert.Equal(applied, f.Version != versions[f.Id]);
                Assert.Equal(applied, f.JenisLantai == 2);
                Assert.Equal(applied, history.Contains(f.Id));
            });
            var again = await new ApplyDecisions(db, new RegistryWriter(db, _clock), _clock).RunAsync(new ApplyDecisions.Input(periodId, Keden, village, "operator"), CancellationToken.None);
            Assert.Equal((count - RegistryWriter.ChunkSize, 0), (again.Applied, again.Conflicts));
            Assert.Equal(count, await db.Families.CountAsync(f => f.JenisLantai == 2));
        }
    }

    /// <summary>A facilitator's phone is sent the full NO_KK, the members and the address of every line assigned to them
    /// (FieldMedia). A village operator could assign its lines to a facilitator of another village, whose phone then
    /// held a village it does not cover; such an assignment is now refused and names the line.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_line_cannot_be_assigned_to_a_facilitator_or_village_relawan_outside_its_village(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var file = new ImportFileBuilder().Family(1, children: 1).Family(2, village: "33.14.02.2001");
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        await using var db = test.Database.CreateDb();
        var facilitator = new User { UserName = "pendamping.plupuh", DisplayName = "Pendamping", PasswordHash = "-", Role = Roles.Facilitator, CreatedAt = DateTime.UtcNow };
        db.Users.AddRange(facilitator,
            new User { UserName = "relawan.plupuh", DisplayName = "Relawan", PasswordHash = "-", Role = Roles.Relawan, RegionCode = "33.14.02.2001", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        db.UserVillages.Add(new UserVillage { UserId = facilitator.Id, KodeDesa = "33.14.02.2001", AssignedBy = "admin", AssignedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None);
        var keden = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.KodeDesa == Keden);
        var plupuh = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.KodeDesa == "33.14.02.2001");
        var assign = new AssignLines(db);

        var byOperator = await assign.RunAsync(new AssignLines.Input([keden.Id], "pendamping.plupuh", AccessScope.Within(Keden), Roles.VillageOperator, "operator"), CancellationToken.None);
        var toRelawan = await assign.RunAsync(new AssignLines.Input([plupuh.Id, keden.Id], "relawan.plupuh", AccessScope.Regency, Roles.Administrator, "admin"), CancellationToken.None);
        var own = await assign.RunAsync(new AssignLines.Input([plupuh.Id], "pendamping.plupuh", AccessScope.Regency, Roles.Administrator, "admin"), CancellationToken.None);

        Assert.Equal(("ASSIGNEE_AREA", 0), (byOperator.Problem?.Code, byOperator.Assigned));
        Assert.Contains($"#{keden.Id}", byOperator.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(("ASSIGNEE_AREA", 0), (toRelawan.Problem?.Code, toRelawan.Assigned));
        Assert.Equal((null, 1), (own.Problem?.Code, own.Assigned));
        Assert.Null(await db.VerivaliLines.AsNoTracking().Where(l => l.Id == keden.Id).Select(l => l.AssignedTo).SingleAsync());
    }

    /// <summary>More than one chunk of the registry writer's families in Keden, each line agreed with a floor change at the
    /// family's current version, and Keden's musdes closed: ready to apply. Returns the families and the period.</summary>
    private static async Task<(int Count, long PeriodId)> AgreedChangesAfterClosedMusdesAsync(TestDatabase test)
    {
        var file = new ImportFileBuilder();
        var count = RegistryWriter.ChunkSize + 20;
        for (var i = 1; i <= count; i++)
        {
            file.Family(i, wife: false, children: 0);
        }
        Assert.True((await new ImportFamilies(test.Database, _clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "awal.csv", false, "operator"), null, CancellationToken.None)).Committed);
        long periodId;
        await using (var db = test.Database.CreateDb())
        {
            periodId = (await new OpenPeriod(db, _clock).RunAsync(new OpenPeriod.Input("Semester I 2027", "dinsos"), CancellationToken.None)).Period!.Id;
            await db.VerivaliLines.ExecuteUpdateAsync(u => u
                .SetProperty(l => l.Status, VerivaliTerms.Decided).SetProperty(l => l.Decision, VerivaliTerms.Agree).SetProperty(l => l.Outcome, VerivaliTerms.Corrected)
                .SetProperty(l => l.Changes, """[{"PersonId":null,"Field":"JENIS_LANTAI","Value":"2","Date":null}]""")
                .SetProperty(l => l.FamilyVersion, l => db.Families.Where(f => f.Id == l.FamilyId).Select(f => (long?)f.Version).FirstOrDefault()));
            db.VerivaliMusdes.Add(new VerivaliMusdes { PeriodId = periodId, KodeDesa = Keden, HeldOn = new DateOnly(2026, 11, 20), ScanPath = "scan.pdf", ClosedBy = "operator", ClosedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        return (count, periodId);
    }
}
