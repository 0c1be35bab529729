using Tuntas.Registry;

namespace Tuntas.Verivali;

/// <summary>
/// What the visit form of a worklist line starts from: the family's current value of every field a visit may change
/// (<see cref="RegistryFields.IsEditableFamilyField"/>) and each member's (<see cref="RegistryFields.IsEditablePersonField"/>
/// and the life status), written as <see cref="RegistryFields.Parse"/> reads them back, so a proposed change starts from
/// what the registry holds. NIK is never sent (a visit that corrects one types it); values of sensitive fields (health,
/// disability, income, pregnancy: UU PDP 27/2022) and of birth place and date only for a role that may see them, else the
/// field starts empty.
/// The caller passes families it already may see (the lines of <see cref="VerivaliLines.Visible"/>).
/// </summary>
public static class VisitValues
{
    public sealed record Member(long Id, string Name, int? Relation, IReadOnlyDictionary<string, string> Values);

    public sealed record Family(IReadOnlyDictionary<string, string> Values, IReadOnlyList<Member> Members);

    /// <summary>The person fields a visit may propose for a member, the life status last.</summary>
    public static IReadOnlyList<string> PersonFields { get; } =
        [.. RegistryFields.PersonRules.Where(r => RegistryFields.IsEditablePersonField(r.Column) && r.Column != "NIK").Select(r => r.Column), RegistryHistory.LifeStatusField];

    /// <summary>The family fields a visit may propose: the field form's (<see cref="FieldCollection.FieldForms.VisitFamilyRules"/>),
    /// so the back office, the API and ODK Collect ask the same. Not the ministry's own values (DESIL_NASIONAL,
    /// PENGELUARAN_PERKAPITA: a file from the ministry brings them) nor the coordinates (the visit records its GPS point).</summary>
    public static IReadOnlyList<string> FamilyFields { get; } = [.. FieldCollection.FieldForms.VisitFamilyRules.Select(r => r.Column)];

    /// <summary>Fields whose current value the form starts from only for a role that sees sensitive data: where and when a
    /// person was born identify them beside the masked NIK (the API gives them only on an audited reveal). Others type the
    /// correction from the KK card.</summary>
    private static bool Identifying(string column) => column is "TANGGAL_LAHIR" or "TEMPAT_LAHIR";

    public static async Task<IReadOnlyDictionary<long, Family>> RunAsync(TuntasDb db, IReadOnlyCollection<long> familyIds, bool showSensitive,
        CancellationToken cancellationToken)
    {
        if (familyIds.Count == 0)
        {
            return new Dictionary<long, Family>();
        }
        var ids = familyIds.Distinct().ToList();
        var families = await db.Families.AsNoTracking().Where(f => ids.Contains(f.Id)).ToListAsync(cancellationToken);
        var persons = (await db.Persons.AsNoTracking().Where(p => ids.Contains(p.FamilyId)).ToListAsync(cancellationToken))
            .OrderBy(p => p.HubunganKk).ThenBy(p => p.TanggalLahir).ThenBy(p => p.Id).ToLookup(p => p.FamilyId);
        return families.ToDictionary(f => f.Id, f => new Family(
            Values(FamilyFields, column => RegistryFields.FamilyColumn(column).Get(f), showSensitive),
            [.. persons[f.Id].Select(p => new Member(p.Id, p.Nama, p.HubunganKk,
                Values(PersonFields, column => column == RegistryHistory.LifeStatusField ? LifeStatus.Code(p.StatusHidup) : RegistryFields.PersonColumn(column)!.Get(p),
                    showSensitive)))]));
    }

    private static Dictionary<string, string> Values(IReadOnlyList<string> columns, Func<string, object?> get, bool showSensitive)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if ((showSensitive || !(HistoryValues.IsSensitiveField(column) || Identifying(column))) && RegistryColumns.Canonical(get(column)) is { } value)
            {
                values[column] = value;
            }
        }
        return values;
    }
}
