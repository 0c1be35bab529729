using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Core.Tests.Imports;
using Tuntas.Imports;
using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.P2kp.Loans;
using Tuntas.Testing;
using Tuntas.Users;

namespace Tuntas.Core.Tests.P2kp;

public sealed class LoanLifecycleTests
{
    internal static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
    private const string Desa = "33.14.01.2001";

    internal static async Task<(Upk Upk, List<long> Heads)> VillageWithFamiliesAsync(TestDatabase test, int families = 5)
    {
        var file = new ImportFileBuilder();
        for (var i = 1; i <= families; i++)
        {
            file.Family(700 + i, children: 0);
        }
        file.Family(799, children: 0, village: "33.14.02.2001");
        var report = await new ImportFamilies(test.Database, Clock).RunAsync(new ImportFamilies.Input(file.WriteCsv(), "f.csv", false, "t"), null, CancellationToken.None);
        Assert.True(report.Committed);
        await using var db = test.Database.CreateDb();
        var (bkm, problem) = await new SaveBkm(db, Clock).RunAsync(new SaveBkm.Input(Desa, "BKM Maju Bersama", new DateOnly(2010, 1, 1), "t", Roles.Administrator, AccessScope.Regency), CancellationToken.None);
        Assert.Null(problem);
        var heads = await db.Persons.Where(p => p.HubunganKk == 1).Join(db.Families.Where(f => f.KodeDesa == Desa), p => p.FamilyId, f => f.Id, (p, f) => p.Id).OrderBy(id => id).ToListAsync();
        return (await db.Upks.SingleAsync(u => u.KodeDesa == bkm!.KodeDesa), heads);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_ksm_formed_from_the_registry_borrows_repays_once_per_receipt_and_its_disbursed_loan_is_never_deleted(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (upk, heads) = await VillageWithFamiliesAsync(test);
        var village = AccessScope.Within(Desa);
        await using var db = test.Database.CreateDb();

        var formed = await new FormKsm(db).RunAsync(new FormKsm.Input(upk.Id, "KSM Mawar", "EKONOMI", new DateOnly(2026, 1, 5), heads, heads[0], "pendamping1",
            Roles.VillageOperator, village), CancellationToken.None);
        Assert.Empty(formed.Problems);
        var members = await db.KsmMembers.Where(m => m.KsmId == formed.Ksm!.Id).OrderBy(m => m.Id).ToListAsync();
        Assert.Equal(5, members.Count);
        Assert.All(members, m => Assert.NotNull(m.PersonId));

        var shares = members.ToDictionary(m => m.Id, _ => 240_000L);
        var proposed = await new ProposeLoan(db).RunAsync(new ProposeLoan.Input(formed.Ksm!.Id, 1_200_000, 1.5m, LoanSchedule.Flat, 12, new DateOnly(2026, 1, 10),
            shares, Roles.VillageOperator, village), CancellationToken.None);
        Assert.Empty(proposed.Problems);
        var loanId = proposed.Loan!.Id;
        Assert.Null(await new DecideLoan(db).RunAsync(new DecideLoan.Input(loanId, true, new DateOnly(2026, 1, 12), null, Roles.VillageOperator, village), CancellationToken.None));
        Assert.Null(await new DisburseLoan(db).RunAsync(new DisburseLoan.Input(loanId, new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 15), Roles.VillageOperator, village), CancellationToken.None));
        Assert.Equal(12, await db.UpkInstallments.CountAsync(i => i.LoanId == loanId));

        var repay = new RecordRepayment(db);
        var first = await repay.RunAsync(new RecordRepayment.Input(loanId, new DateOnly(2026, 2, 15), 100_000, 18_000, "KW-001", "op", Roles.VillageOperator, village), CancellationToken.None);
        Assert.Null(first.Problem);
        var twice = await repay.RunAsync(new RecordRepayment.Input(loanId, new DateOnly(2026, 2, 15), 100_000, 18_000, "KW-001", "op", Roles.VillageOperator, village), CancellationToken.None);
        Assert.Equal("DUPLICATE", twice.Problem!.Code);
        var early = await repay.RunAsync(new RecordRepayment.Input(loanId, new DateOnly(2026, 1, 1), 100_000, 0, "KW-000", "op", Roles.VillageOperator, village), CancellationToken.None);
        Assert.Equal("PAYMENT_BEFORE_DISBURSEMENT", early.Problem!.Code);
        var over = await repay.RunAsync(new RecordRepayment.Input(loanId, new DateOnly(2026, 3, 1), 1_100_001, 0, "KW-002", "op", Roles.VillageOperator, village), CancellationToken.None);
        Assert.Equal("OVERPAID", over.Problem!.Code);
        Assert.Equal(1, await db.UpkRepayments.CountAsync());

        // Split to members by their equal shares: 100 000 → 20 000 each.
        Assert.All(MemberSplit.Split(100_000, shares).Values, v => Assert.Equal(20_000, v));

        var close = new CloseLoan(db);
        Assert.Equal("LOAN_DISBURSED", (await close.WithdrawAsync(loanId, Roles.VillageOperator, village, CancellationToken.None))!.Code);
        Assert.Equal("REASON_REQUIRED", (await close.WriteOffAsync(new CloseLoan.WriteOff(loanId, new DateOnly(2026, 10, 1), " ", Roles.VillageOperator, village), CancellationToken.None))!.Code);
        Assert.Null(await close.WriteOffAsync(new CloseLoan.WriteOff(loanId, new DateOnly(2026, 10, 1), "macet, KSM bubar", Roles.VillageOperator, village), CancellationToken.None));
        var loan = await db.UpkLoans.AsNoTracking().SingleAsync(l => l.Id == loanId);
        Assert.Equal(LoanStatus.WrittenOff, loan.Status);

        // Written off, the loan leaves the portfolio but not the repayment rate: eight instalments of 100 000 fell due
        // before the write-off on 1 October (none after it) and one was paid. Before, it left RR too, and a write-off
        // raised the UPK's RR.
        var performance = await new Tuntas.P2kp.Performance.UpkPerformance(db).RunAsync(
            new Tuntas.P2kp.Performance.UpkPerformance.Input(new DateOnly(2026, 11, 30), null, AccessScope.Regency), CancellationToken.None);
        Assert.Equal((12.50, 0L, 0), (performance.Total.Rr, performance.Total.Outstanding, performance.Total.PinjamanAktif));
        var reference = Assert.Single(await new Tuntas.P2kp.Performance.UpkPerformanceSql(test.Database).RunAsync(new DateOnly(2026, 11, 30), CancellationToken.None));
        Assert.Equal((800_000L, 100_000L, 0L, 0L), (reference.Due, reference.PaidUpToDue, reference.Outstanding, reference.ActiveLoans));

        // The member's family sees its KSM and the loan.
        var family = await db.Persons.Where(p => p.Id == heads[1]).Select(p => p.FamilyId).SingleAsync();
        var memberships = await new FamilyKsm(db).RunAsync(family, new DateOnly(2026, 11, 23), CancellationToken.None);
        var membership = Assert.Single(memberships);
        Assert.Equal("KSM Mawar", membership.Ksm);
        Assert.Equal(240_000, Assert.Single(membership.Loans).MemberShare);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_cannot_form_a_ksm_with_people_of_another_village_nor_act_elsewhere(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var (upk, heads) = await VillageWithFamiliesAsync(test);
        await using var db = test.Database.CreateDb();
        var outsider = await db.Persons.Join(db.Families.Where(f => f.KodeDesa == "33.14.02.2001"), p => p.FamilyId, f => f.Id, (p, f) => p.Id).FirstAsync();

        var mixed = await new FormKsm(db).RunAsync(new FormKsm.Input(upk.Id, "KSM Campur", "SOSIAL", new DateOnly(2026, 1, 5), [.. heads, outsider], heads[0], null,
            Roles.VillageOperator, AccessScope.Within(Desa)), CancellationToken.None);
        Assert.Contains(mixed.Problems, p => p.Code == "PERSON_OUTSIDE_SCOPE");

        var elsewhere = await new FormKsm(db).RunAsync(new FormKsm.Input(upk.Id, "KSM Lain", "SOSIAL", new DateOnly(2026, 1, 5), heads, heads[0], null,
            Roles.VillageOperator, AccessScope.Within("33.14.02.2001")), CancellationToken.None);
        Assert.Equal("FORBIDDEN", Assert.Single(elsewhere.Problems).Code);
        Assert.Equal(0, await db.Ksms.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_collection_worklist_lists_loans_in_arrears_worst_first(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var report = await new Tuntas.P2kp.LoanBook.ImportLoanBook(test.Database, Clock).RunAsync(
            new Tuntas.P2kp.LoanBook.ImportLoanBook.Input(new LoanBookFiles().WriteFolder(), "book", false), CancellationToken.None);
        Assert.True(report.Committed);
        await using var db = test.Database.CreateDb();
        var items = await new CollectionWorklist(db).RunAsync(new CollectionWorklist.Input(new DateOnly(2026, 8, 31), AccessScope.Regency, null), CancellationToken.None);
        var item = Assert.Single(items);
        Assert.Equal(3, item.Arrears);
        Assert.Equal(250_000, item.Overdue);
        Assert.Equal("Siti Rahayu", item.KetuaName);
        Assert.Empty(await new CollectionWorklist(db).RunAsync(new CollectionWorklist.Input(new DateOnly(2026, 8, 31), AccessScope.Within("33.14.02.2001"), null), CancellationToken.None));
    }
}
