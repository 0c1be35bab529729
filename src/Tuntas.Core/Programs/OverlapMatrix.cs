using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Programs;

/// <summary>
/// The integration matrix (issue #4): for every pair of programs, how many families receive both (open enrollments,
/// as a family or through a member); the diagonal is each program's families. Also, per program, the families with more
/// than one open enrollment — for a family program that is a double receipt to resolve; for a person program (PIP,
/// PBI-JK) it is several members, shown for information. One pass over the enrollments, in memory.
/// </summary>
public sealed class OverlapMatrix(TuntasDatabase database)
{
    public sealed record ProgramTotals(string Code, string Name, string TargetUnit, int Families, int Enrollments, int FamiliesWithSeveral);

    public sealed record Outcome(IReadOnlyList<ProgramTotals> Programs, int[][] Both, int FamiliesReceivingAny, int FamiliesReceivingTwoOrMore);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        List<(string Code, string Name, string Unit)> programs;
        await using (var db = database.CreateDb())
        {
            programs = (await db.Programs.AsNoTracking().OrderBy(p => p.Code).Select(p => new { p.Code, p.Name, p.TargetUnit }).ToListAsync(cancellationToken))
                .Select(p => (p.Code, p.Name, p.TargetUnit)).ToList();
        }
        var index = programs.Select((p, i) => (p.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        var rows = await OpenEnrollments.ReadAsync(database, cancellationToken);
        var n = programs.Count;
        // Per family: a bit per program (up to 64 programs per word; more words when the catalogue grows).
        var words = (n + 63) / 64;
        var sets = new Dictionary<long, ulong[]>();
        var enrollments = new int[n];
        var perFamilyProgram = new Dictionary<(long, int), int>();
        foreach (var row in rows)
        {
            var p = index[row.Program];
            enrollments[p]++;
            if (!sets.TryGetValue(row.FamilyId, out var set))
            {
                sets[row.FamilyId] = set = new ulong[words];
            }
            set[p / 64] |= 1UL << (p % 64);
            var key = (row.FamilyId, p);
            perFamilyProgram[key] = perFamilyProgram.GetValueOrDefault(key) + 1;
        }
        var both = Enumerable.Range(0, n).Select(_ => new int[n]).ToArray();
        var members = new List<int>(n);
        var twoOrMore = 0;
        foreach (var set in sets.Values)
        {
            members.Clear();
            for (var p = 0; p < n; p++)
            {
                if ((set[p / 64] & (1UL << (p % 64))) != 0) members.Add(p);
            }
            if (members.Count > 1) twoOrMore++;
            foreach (var a in members)
            {
                foreach (var b in members)
                {
                    both[a][b]++;
                }
            }
        }
        var several = new int[n];
        foreach (var ((_, p), count) in perFamilyProgram)
        {
            if (count > 1) several[p]++;
        }
        return new Outcome(
            [.. programs.Select((p, i) => new ProgramTotals(p.Code, p.Name, p.Unit, both[i][i], enrollments[i], several[i]))],
            both, sets.Count, twoOrMore);
    }
}
