namespace Tuntas.Registry;

/// <summary>
/// The families a user picked with the family picker (found by <see cref="FindFamilies"/>, which sends family ids, never
/// a full NO_KK, to the browser) read back on the server within the user's <see cref="AccessScope"/>: the NO_KK a form's
/// use case expects (an agreement's shared families, a need's family) and, for showing the picks again after a refused
/// form, the head's name and the masked NO_KK. An id outside the scope is refused as if it did not exist.
/// </summary>
public static class PickedFamilies
{
    /// <summary>Ids a form may carry at most: an agreement shares a list, not a village (that is a village share).</summary>
    public const int MaxIds = 500;

    public sealed record Input(IReadOnlyCollection<long> FamilyIds, AccessScope Scope);

    /// <param name="NoKk">The full number, for the use case only: pages show <see cref="NoKkMasked"/>.</param>
    public sealed record Choice(long Id, string NoKk, string NoKkMasked, string? Head, string KodeDesa, string? DesaName);

    public sealed record Outcome(IReadOnlyList<Choice> Families, IReadOnlyList<Problem> Problems);

    public static async Task<Outcome> RunAsync(TuntasDb db, Input input, CancellationToken cancellationToken)
    {
        var ids = input.FamilyIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Outcome([], []);
        }
        if (ids.Count > MaxIds)
        {
            return new Outcome([], [new Problem("FamilyIds", "FAMILIES_TOO_MANY", string.Create(CultureInfo.InvariantCulture, $"Paling banyak {MaxIds} keluarga dipilih sekaligus."),
                string.Create(CultureInfo.InvariantCulture, $"At most {MaxIds} families can be picked at once."))]);
        }
        var found = await input.Scope.Apply(db.Families.AsNoTracking()).Where(f => ids.Contains(f.Id))
            .Select(f => new
            {
                f.Id,
                f.NoKk,
                f.KodeDesa,
                Desa = db.Regions.Where(r => r.Code == f.KodeDesa).Select(r => r.Name).FirstOrDefault(),
                Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup).Select(p => p.Nama).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var byId = found.ToDictionary(f => f.Id);
        var missing = ids.Count(id => !byId.ContainsKey(id));
        IReadOnlyList<Problem> problems = missing == 0 ? [] :
            [new Problem("FamilyIds", "FAMILY_NOT_FOUND", string.Create(CultureInfo.InvariantCulture, $"{missing} keluarga yang dipilih tidak ada di wilayah Anda."),
                string.Create(CultureInfo.InvariantCulture, $"{missing} picked families are not in your area."))];
        return new Outcome([.. ids.Where(byId.ContainsKey).Select(id => byId[id])
            .Select(f => new Choice(f.Id, f.NoKk, NoKk.Mask(f.NoKk), f.Head, f.KodeDesa, f.Desa))], problems);
    }
}
