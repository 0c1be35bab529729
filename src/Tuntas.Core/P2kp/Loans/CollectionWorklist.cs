namespace Tuntas.P2kp.Loans;

/// <summary>
/// The facilitator's collection list as of a date: every running loan with instalments in arrears in the caller's
/// villages, worst first, with the overdue principal and the KSM's chair to visit; a facilitator sees the groups they
/// accompany (or all in their villages with <c>mine = false</c>).
/// </summary>
public sealed class CollectionWorklist(TuntasDb db)
{
    public sealed record Input(DateOnly AsOf, AccessScope Scope, string? Facilitator);

    public sealed record Item(long LoanId, string Nomor, long KsmId, string Ksm, string KodeDesa, string? Facilitator, int Arrears, int Kolektibilitas,
        long Overdue, long Outstanding, string? KetuaName);

    public async Task<IReadOnlyList<Item>> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var ksms = db.Ksms.AsNoTracking().Where(input.Scope.VillageFilter<Ksm>(k => k.KodeDesa));
        if (input.Facilitator is { } facilitator)
        {
            ksms = ksms.Where(k => k.Facilitator == facilitator);
        }
        var groups = await ksms.Select(k => new
        {
            k.Id,
            k.Name,
            k.KodeDesa,
            k.Facilitator,
            Ketua = db.KsmMembers.Where(m => m.KsmId == k.Id && m.Role == "KETUA").Select(m => m.Name).FirstOrDefault(),
        }).ToDictionaryAsync(k => k.Id, cancellationToken);
        var ids = groups.Keys.ToList();
        var loans = db.UpkLoans.AsNoTracking().Where(l => ids.Contains(l.KsmId) && l.Status == LoanStatus.Disbursed);
        var states = await LoanStates.ForAsync(db, loans, input.AsOf, cancellationToken);
        var numbers = await loans.Select(l => new { l.Id, l.Nomor, l.KsmId }).ToDictionaryAsync(l => l.Id, cancellationToken);
        return [.. states.Where(s => s.Value.Arrears > 0 && s.Value.Active)
            .Select(s =>
            {
                var loan = numbers[s.Key];
                var ksm = groups[loan.KsmId];
                return new Item(s.Key, loan.Nomor, ksm.Id, ksm.Name, ksm.KodeDesa, ksm.Facilitator, s.Value.Arrears, s.Value.Kolektibilitas,
                    Math.Max(0, s.Value.Due - s.Value.Paid), s.Value.Outstanding, ksm.Ketua);
            })
            .OrderByDescending(i => i.Arrears).ThenByDescending(i => i.Overdue).ThenBy(i => i.Nomor, StringComparer.Ordinal)];
    }
}
