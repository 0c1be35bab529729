namespace Tuntas.P2kp.Loans;

/// <summary>
/// Splits a KSM's repayment to its members in proportion to their shares of the loan (tanggung renteng: the group pays
/// as one, the book keeps each member's part), largest remainder first so the parts add up to the whole rupiah.
/// </summary>
public static class MemberSplit
{
    public static IReadOnlyDictionary<long, long> Split(long amount, IReadOnlyDictionary<long, long> shares)
    {
        var total = shares.Values.Sum();
        if (total <= 0)
        {
            return new Dictionary<long, long>();
        }
        var parts = shares.ToDictionary(s => s.Key, s => (long)((decimal)amount * s.Value / total));
        var left = amount - parts.Values.Sum();
        foreach (var member in shares.OrderByDescending(s => (decimal)amount * s.Value / total - parts[s.Key]).ThenBy(s => s.Key).Take((int)left))
        {
            parts[member.Key]++;
        }
        return parts;
    }
}
