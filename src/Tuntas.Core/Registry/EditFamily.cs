namespace Tuntas.Registry;

/// <summary>
/// The field editor (back office <c>/Keluarga/{id}/Ubah</c> and <c>PUT /api/families/{id}</c>): a village operator in
/// scope corrects a family or its members field by field. Only values that differ from the registry become edits, so
/// a form that posts every field changes (and records) only what the operator changed. Every edit goes through
/// <see cref="RegistryWriter"/> with the source <c>editor</c>, the import's validation and the version the form showed.
/// </summary>
public sealed class EditFamily(TuntasDb db, RegistryWriter writer)
{
    public sealed record LifeEvent(long PersonId, string Status, DateOnly? Date, string? Destination);

    public sealed record Split(IReadOnlyList<long> PersonIds, string NoKk);

    /// <param name="FamilyFields">Import column → typed text (only the keys given are considered).</param>
    /// <param name="PersonFields">Person id → (import column → typed text).</param>
    public sealed record Input(
        long FamilyId, long Version, string Actor, AccessScope Scope,
        IReadOnlyDictionary<string, string?>? FamilyFields = null,
        IReadOnlyDictionary<long, IReadOnlyDictionary<string, string?>>? PersonFields = null,
        IReadOnlyList<LifeEvent>? LifeEvents = null,
        IReadOnlyDictionary<string, string?>? NewMember = null,
        Split? SplitOff = null,
        string Source = ChangeSource.Editor,
        string? SourceRef = null);

    public async Task<RegistryWriter.FamilyOutcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var family = await db.Families.AsNoTracking().SingleOrDefaultAsync(f => f.Id == input.FamilyId, cancellationToken);
        if (family is null || !input.Scope.Covers(family.Id, family.KodeDesa))
        {
            return new RegistryWriter.FamilyOutcome(input.FamilyId, RegistryWriter.Result.NotFound, 0, [], []);
        }
        var members = await db.Persons.AsNoTracking().Where(p => p.FamilyId == family.Id).ToDictionaryAsync(p => p.Id, cancellationToken);
        var edits = Changes(family, members, input);
        return await writer.WriteAsync(new RegistryWriter.FamilyEdit(family.Id, input.Version, edits, input.SourceRef), input.Actor, input.Source, input.Scope, cancellationToken);
    }

    /// <summary>The edits that change something, in a fixed order: fields, life events, a new member, a split.</summary>
    public static List<RegistryWriter.Edit> Changes(Family family, IReadOnlyDictionary<long, Person> members, Input input)
    {
        var edits = new List<RegistryWriter.Edit>();
        foreach (var (field, text) in input.FamilyFields ?? new Dictionary<string, string?>())
        {
            var column = field.Trim().ToUpperInvariant();
            if (RegistryFields.FamilyRules.Any(r => r.Column == column) && Same(RegistryFields.FamilyColumn(column).Get(family), text))
            {
                continue;
            }
            edits.Add(new RegistryWriter.SetField(null, column, text));
        }
        foreach (var (personId, fields) in input.PersonFields ?? new Dictionary<long, IReadOnlyDictionary<string, string?>>())
        {
            foreach (var (field, text) in fields)
            {
                var column = field.Trim().ToUpperInvariant();
                if (members.TryGetValue(personId, out var person) && RegistryFields.PersonColumn(column) is { } registryColumn && Same(registryColumn.Get(person), text))
                {
                    continue;
                }
                edits.Add(new RegistryWriter.SetField(personId, column, text));
            }
        }
        foreach (var life in input.LifeEvents ?? [])
        {
            var status = LifeStatus.Parse(life.Status) ?? 0;
            if (members.TryGetValue(life.PersonId, out var person) && person.StatusHidup == status
                && (status == LifeStatus.Hidup || (person.StatusTanggal == (life.Date ?? person.StatusTanggal) && (person.PindahKe ?? "") == (life.Destination ?? "").Trim())))
            {
                continue;
            }
            edits.Add(new RegistryWriter.SetLifeStatus(life.PersonId, status, life.Date, life.Destination));
        }
        if (input.NewMember is { } member && member.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            edits.Add(new RegistryWriter.AddMember(member));
        }
        if (input.SplitOff is { PersonIds.Count: > 0 } split)
        {
            edits.Add(new RegistryWriter.SplitOff(split.PersonIds, split.NoKk));
        }
        return edits;
    }

    /// <summary>True when the typed text means the stored value (canonical text, empty = unknown).</summary>
    private static bool Same(object? stored, string? text)
    {
        var typed = (text ?? "").Trim();
        var canonical = RegistryColumns.Canonical(stored) ?? "";
        return typed == canonical;
    }
}
