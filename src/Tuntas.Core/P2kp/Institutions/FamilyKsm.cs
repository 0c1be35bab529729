using Tuntas.P2kp.Loans;

namespace Tuntas.P2kp.Institutions;

/// <summary>
/// What P2KP gives one family (the family page's "what this family receives"): the KSM its members belong to and the
/// KSM's loans with their state today. The caller has already checked that it may see the family.
/// </summary>
public sealed class FamilyKsm(TuntasDb db)
{
    public sealed record Loan(long Id, string Nomor, string Status, long Principal, DateOnly? DisbursedOn, long Outstanding, int Kolektibilitas, long MemberShare);

    public sealed record Membership(long KsmId, string Ksm, string Jenis, string Upk, string Member, string Role, DateOnly? JoinedOn, DateOnly? LeftOn, IReadOnlyList<Loan> Loans);

    public async Task<IReadOnlyList<Membership>> RunAsync(long familyId, DateOnly today, CancellationToken cancellationToken)
    {
        var members = await db.KsmMembers.AsNoTracking()
            .Where(m => m.PersonId != null && db.Persons.Any(p => p.Id == m.PersonId && p.FamilyId == familyId))
            .Join(db.Ksms, m => m.KsmId, k => k.Id, (m, k) => new { Member = m, Ksm = k })
            .Join(db.Upks, x => x.Ksm.UpkId, u => u.Id, (x, u) => new { x.Member, x.Ksm, Upk = u.Name })
            .ToListAsync(cancellationToken);
        var result = new List<Membership>();
        foreach (var m in members)
        {
            var loans = db.UpkLoans.AsNoTracking().Where(l => l.KsmId == m.Ksm.Id);
            var states = await LoanStates.ForAsync(db, loans, today, cancellationToken);
            var shares = await db.UpkLoanShares.AsNoTracking().Where(s => s.MemberId == m.Member.Id).ToDictionaryAsync(s => s.LoanId, s => s.Amount, cancellationToken);
            var rows = await loans.OrderByDescending(l => l.Id).ToListAsync(cancellationToken);
            result.Add(new Membership(m.Ksm.Id, m.Ksm.Name, m.Ksm.Jenis, m.Upk, m.Member.Name, m.Member.Role, m.Member.JoinedOn, m.Member.LeftOn,
                [.. rows.Select(l => new Loan(l.Id, l.Nomor, l.Status, l.Principal, l.DisbursedOn,
                    states.TryGetValue(l.Id, out var s) ? s.Outstanding : 0, states.TryGetValue(l.Id, out var k) ? k.Kolektibilitas : 0, shares.GetValueOrDefault(l.Id)))]));
        }
        return result;
    }
}
