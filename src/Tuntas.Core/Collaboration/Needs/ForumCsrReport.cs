namespace Tuntas.Collaboration.Needs;

/// <summary>
/// The Forum CSR view (§5): committed against delivered per company (or any stakeholder), per village and
/// per sector (need kind), for a year of pledges — the report a Bappeda planner takes to the forum so that CSR stops
/// landing on the same villages while others wait.
/// </summary>
public sealed class ForumCsrReport(CommitmentReport report)
{
    public sealed record Line(string Key, string Name, int Commitments, long Pledged, long Delivered, int Open);

    public sealed record Outcome(int? Year, string? Helix, IReadOnlyList<Line> ByStakeholder, IReadOnlyList<Line> ByVillage, IReadOnlyList<Line> BySector);

    /// <param name="helix">"swasta" for the Forum CSR proper; null for every helix.</param>
    public async Task<Outcome> RunAsync(int? year, string? helix, CancellationToken cancellationToken)
    {
        var lines = await report.LinesAsync(new CommitmentReport.Input(Year: year, Helix: helix), cancellationToken);
        IReadOnlyList<Line> Group(Func<CommitmentReport.Line, string> key, Func<CommitmentReport.Line, string> name) =>
            [.. lines.GroupBy(key).Select(g => new Line(g.Key, name(g.First()), g.Count(), CommitmentReport.PledgedOf(g), CommitmentReport.DeliveredOf(g),
                    g.Count(CommitmentReport.IsOpen)))
                .OrderByDescending(l => l.Pledged).ThenBy(l => l.Key, StringComparer.Ordinal)];
        return new Outcome(year, helix,
            Group(l => l.StakeholderId.ToString(System.Globalization.CultureInfo.InvariantCulture), l => l.Stakeholder),
            Group(l => l.KodeDesa, l => l.Desa),
            Group(l => l.NeedKind, l => CollaborationTerms.NeedKinds.FirstOrDefault(k => k.Code == l.NeedKind)?.Name ?? l.NeedKind));
    }
}
