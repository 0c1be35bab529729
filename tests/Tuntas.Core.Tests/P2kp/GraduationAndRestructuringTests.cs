using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.Loans;
using Tuntas.P2kp.Performance;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.P2kp;

public sealed class GraduationAndRestructuringTests
{
    private const string Desa = "33.14.01.2001";
    private const string OtherDesa = "33.14.02.2001";

    private static async Task<(Ksm Ksm, List<long> Heads)> KsmOfFiveAsync(TestDatabase test)
    {
        var (upk, heads) = await LoanLifecycleTests.VillageWithFamiliesAsync(test);
        await using var db = test.Database.CreateDb();
        var formed = await new FormKsm(db).RunAsync(new FormKsm.Input(upk.Id, "KSM Mawar", "EKONOMI", new DateOnly(2026, 1, 5), heads, heads[0], null,
            Roles.VillageOperator, AccessScope.Within(Desa)), CancellationToken.None);
        Assert.Empty(formed.Problems);
        return (formed.Ksm!, heads);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Members_families_are_counted_by_their_desil_at_joining_and_now_and_those_who_left_deciles_1_to_4(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (ksm, heads) = await KsmOfFiveAsync(test);
        await using var db = test.Database.CreateDb();
        var families = await db.Persons.Where(p => heads.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.FamilyId).ToListAsync();
        // Current at the join date (2026-01-05): the run of 2025-12-01. The run of 2026-02-01 came after the joining, the one of 2026-06-01 is the latest.
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2025, 12, 1), Desa, families, [1, 2, 3, 6, null]);
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2026, 2, 1), Desa, families, [10, 10, 10, 10, 10]);
        await P2kpSeeds.AddRunAsync(db, new DateOnly(2026, 6, 1), Desa, families, [5, 2, 7, 4, 9]);
        var graduation = new Graduation(db, test.Database);

        var outcome = await graduation.RunAsync(new Graduation.Input(null, AccessScope.Regency), CancellationToken.None);
        Assert.Null(outcome.Problem);
        var row = Assert.Single(outcome.Upk);
        Assert.Equal(5, row.Families);
        Assert.Equal([1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0], row.AtJoin);
        Assert.Equal([0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0], row.Now);
        Assert.Equal((3, 2, 2, 1), (row.PoorAtJoin, row.PoorNow, row.Left, row.Entered));
        Assert.Equal(66.67m, row.LeftPercent);
        Assert.Equal(row.Left, outcome.Total.Left);
        Assert.Empty(outcome.Ksm);

        // One UPK named: its KSM are listed too.
        var one = await graduation.RunAsync(new Graduation.Input(row.Kode, AccessScope.Within(Desa)), CancellationToken.None);
        Assert.Equal(ksm.Kode, Assert.Single(one.Ksm).Kode);
        Assert.Equal(2, one.Ksm[0].Left);

        // Scope: another village's operator sees no UPK, and naming this one is refused as not found.
        Assert.Empty((await graduation.RunAsync(new Graduation.Input(null, AccessScope.Within(OtherDesa)), CancellationToken.None)).Upk);
        Assert.Equal("NOT_FOUND", (await graduation.RunAsync(new Graduation.Input(row.Kode, AccessScope.Within(OtherDesa)), CancellationToken.None)).Problem!.Code);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_disbursed_loan_is_restructured_into_a_new_loan_of_its_outstanding_principal_and_bad_input_writes_nothing(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (ksm, _) = await KsmOfFiveAsync(test);
        var village = AccessScope.Within(Desa);
        await using var db = test.Database.CreateDb();
        var members = await db.KsmMembers.Where(m => m.KsmId == ksm.Id).ToListAsync();
        var proposed = await new ProposeLoan(db).RunAsync(new ProposeLoan.Input(ksm.Id, 1_200_000, 1.5m, LoanSchedule.Flat, 12, new DateOnly(2026, 1, 10),
            members.ToDictionary(m => m.Id, _ => 240_000L), Roles.VillageOperator, village), CancellationToken.None);
        var loanId = proposed.Loan!.Id;
        Assert.Null(await new DecideLoan(db).RunAsync(new DecideLoan.Input(loanId, true, new DateOnly(2026, 1, 12), null, Roles.VillageOperator, village), CancellationToken.None));
        Assert.Null(await new DisburseLoan(db).RunAsync(new DisburseLoan.Input(loanId, new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 15), Roles.VillageOperator, village), CancellationToken.None));
        Assert.Null((await new RecordRepayment(db).RunAsync(new RecordRepayment.Input(loanId, new DateOnly(2026, 2, 15), 100_000, 18_000, "KW-001", "op",
            Roles.VillageOperator, village), CancellationToken.None)).Problem);
        var close = new CloseLoan(db);
        CloseLoan.Restructure Valid() => new(loanId, new DateOnly(2026, 4, 1), "usaha terdampak banjir", 6, new DateOnly(2026, 5, 1), Roles.VillageOperator, village);

        Assert.Equal("OUT_OF_RANGE", (await close.RestructureAsync(Valid() with { TermMonths = 0 }, CancellationToken.None)).Problem!.Code);
        Assert.Equal("OUT_OF_RANGE", (await close.RestructureAsync(Valid() with { FirstDueOn = new DateOnly(2026, 4, 1) }, CancellationToken.None)).Problem!.Code);
        Assert.Equal("REASON_REQUIRED", (await close.RestructureAsync(Valid() with { Reason = "" }, CancellationToken.None)).Problem!.Code);
        Assert.Equal("DATE_ORDER", (await close.RestructureAsync(Valid() with { On = new DateOnly(2026, 1, 1) }, CancellationToken.None)).Problem!.Code);
        Assert.Equal("FORBIDDEN", (await close.RestructureAsync(Valid() with { Scope = AccessScope.Within(OtherDesa) }, CancellationToken.None)).Problem!.Code);
        Assert.Equal("FORBIDDEN", (await close.RestructureAsync(Valid() with { Role = Roles.AgencyOfficer }, CancellationToken.None)).Problem!.Code);
        db.ChangeTracker.Clear();
        Assert.Equal(1, await db.UpkLoans.CountAsync());
        Assert.Equal(LoanStatus.Disbursed, (await db.UpkLoans.SingleAsync()).Status);

        var (next, problem) = await close.RestructureAsync(Valid(), CancellationToken.None);
        Assert.Null(problem);
        Assert.Equal((1_100_000L, 6, loanId), (next!.Principal, next.TermMonths, next.RestructuredFromId!.Value));
        Assert.Equal(6, await db.UpkInstallments.CountAsync(i => i.LoanId == next.Id));
        var old = await db.UpkLoans.AsNoTracking().SingleAsync(l => l.Id == loanId);
        Assert.Equal((LoanStatus.Restructured, new DateOnly(2026, 4, 1)), (old.Status, old.ClosedOn!.Value));
        Assert.Equal("LOAN_STATUS", (await close.RestructureAsync(Valid(), CancellationToken.None)).Problem!.Code);

        // From the restructuring date only the new loan is in the portfolio.
        var performance = await new UpkPerformance(db).RunAsync(new UpkPerformance.Input(new DateOnly(2026, 4, 30), null, AccessScope.Regency), CancellationToken.None);
        Assert.Equal(1_100_000, performance.Total.Outstanding);
        Assert.Equal(1, performance.Total.PinjamanAktif);
    }
}
