namespace Tuntas.Linkage;

/// <summary>
/// "Different persons": the reviewer's decision on a suspected pair (twins, a son named after his father), stored so the
/// pair is never proposed again (<see cref="FindRegistryDuplicates"/> skips it). Writes only the decision, not the registry.
/// </summary>
public sealed class MarkDifferentPersons(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long PersonIdA, long PersonIdB, string By, AccessScope Scope, double? Score = null, string? Note = null);

    public sealed record Outcome(DuplicateDecision? Decision, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var (a, b) = FindRegistryDuplicates.Ordered(input.PersonIdA, input.PersonIdB);
        var persons = await db.Persons.AsNoTracking().Where(p => p.Id == a || p.Id == b)
            .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Id, p.Nik, f.KodeDesa, FamilyId = f.Id }).ToListAsync(cancellationToken);
        if (a == b || persons.Count != 2)
        {
            return new Outcome(null, new("", "DUPLIKAT_TIDAK_ADA", "Pasangan orang tidak ditemukan.", "Pair of persons not found."));
        }
        if (!persons.All(p => input.Scope.Covers(p.FamilyId, p.KodeDesa)))
        {
            return new Outcome(null, new("", "DUPLIKAT_DI_LUAR_WILAYAH", "Salah satu orang di luar wilayah Anda.", "One of the persons is outside your scope."));
        }
        var existing = await db.DuplicateDecisions.SingleOrDefaultAsync(d => d.FirstPersonId == a && d.SecondPersonId == b, cancellationToken);
        if (existing is not null)
        {
            return new Outcome(existing, null);
        }
        var decision = new DuplicateDecision
        {
            FirstPersonId = a,
            SecondPersonId = b,
            NikA = persons.Single(p => p.Id == a).Nik,
            NikB = persons.Single(p => p.Id == b).Nik,
            Decision = DuplicateDecision.Different,
            Score = input.Score,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            DecidedBy = input.By,
            DecidedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.DuplicateDecisions.Add(decision);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(decision, null);
    }
}
