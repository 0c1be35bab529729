using System.Numerics;

namespace Tuntas.Programs;

/// <summary>
/// The integration matrix: for every pair of programs, how many families receive both (open enrollments,
/// as a family or through a member); the diagonal is each program's families. Also, per program, the families with more
/// than one open enrollment — for a family program that is a double receipt to resolve; for a person program (PIP,
/// PBI-JK) it is several members, shown for information. One pass over the enrollments, as bit sets in memory.
/// </summary>
public sealed class OverlapMatrix(TuntasDatabase database)
{
    public sealed record ProgramTotals(string Code, string Name, string TargetUnit, int Families, int Enrollments, int FamiliesWithSeveral);

    public sealed record Outcome(IReadOnlyList<ProgramTotals> Programs, int[][] Both, int FamiliesReceivingAny, int FamiliesReceivingTwoOrMore);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        var open = await OpenEnrollments.ReadAsync(database, cancellationToken);
        Dictionary<string, (string Name, string Unit)> details;
        await using (var db = database.CreateDb())
        {
            details = await db.Programs.AsNoTracking().ToDictionaryAsync(p => p.Code, p => (p.Name, p.TargetUnit), cancellationToken);
        }
        var n = open.Programs.Length;
        var both = Enumerable.Range(0, n).Select(_ => new int[n]).ToArray();
        var twoOrMore = 0;
        Span<int> members = stackalloc int[64];
        foreach (var set in open.AllSets())
        {
            var count = 0;
            for (var rest = set; rest != 0; rest &= rest - 1)
            {
                members[count++] = BitOperations.TrailingZeroCount(rest);
            }
            if (count > 1) twoOrMore++;
            for (var a = 0; a < count; a++)
            {
                var row = both[members[a]];
                for (var b = 0; b < count; b++) row[members[b]]++;
            }
        }
        var several = new int[n];
        foreach (var twice in open.AllTwice())
        {
            for (var rest = twice; rest != 0; rest &= rest - 1) several[BitOperations.TrailingZeroCount(rest)]++;
        }
        return new Outcome(
            [.. open.Programs.Select((code, i) => new ProgramTotals(code, details.GetValueOrDefault(code).Name ?? code, details.GetValueOrDefault(code).Unit ?? "", both[i][i], open.Enrollments[i], several[i]))],
            both, open.Families, twoOrMore);
    }
}
