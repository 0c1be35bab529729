namespace Tuntas.Regions;

/// <summary>
/// The kecamatan and villages a user may pick in a filter or a form: the regency's own (<see cref="RegencyOptions"/>),
/// narrowed to the reader's scope — a village operator is offered their village and its kecamatan, never the whole
/// regency. Replaces region codes typed by hand (a mistyped code silently matched nothing).
/// </summary>
public static class RegionChoices
{
    public sealed record Village(string Code, string Name);

    public sealed record District(string Code, string Name, IReadOnlyList<Village> Villages);

    public static async Task<IReadOnlyList<District>> RunAsync(TuntasDb db, string regencyCode, AccessScope scope, CancellationToken cancellationToken)
    {
        var prefix = regencyCode + ".";
        var regions = await db.Regions.AsNoTracking()
            .Where(r => (r.Level == Region.District || r.Level == Region.Village) && r.Code.StartsWith(prefix))
            .Select(r => new { r.Code, r.Name, r.Level })
            .ToListAsync(cancellationToken);
        var villages = regions.Where(r => r.Level == Region.Village && scope.CoversVillage(r.Code))
            .GroupBy(r => r.Code[..8], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Village>)[.. g.OrderBy(v => v.Code, StringComparer.Ordinal).Select(v => new Village(v.Code, v.Name))],
                StringComparer.Ordinal);
        return [.. regions.Where(r => r.Level == Region.District && villages.ContainsKey(r.Code))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new District(r.Code, r.Name, villages[r.Code]))];
    }

    /// <summary>Whether a picked code is one of the choices (a kecamatan or a village offered): anything else is refused.</summary>
    public static bool Offers(IReadOnlyList<District> choices, string code) =>
        choices.Any(d => d.Code == code || d.Villages.Any(v => v.Code == code));
}
