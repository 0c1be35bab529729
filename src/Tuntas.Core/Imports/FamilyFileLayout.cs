using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// The columns of the family import format (docs/import-format.md): the registry's field catalogue
/// (<see cref="RegistryFields"/>), which <see cref="FamilyRowParser"/> applies row by row.
/// </summary>
public static class FamilyFileLayout
{
    /// <summary>Family columns: the same value on every row of one NO_KK (the registry's field catalogue).</summary>
    public static IReadOnlyList<RegistryFields.Rule> FamilyRules => RegistryFields.FamilyRules;

    /// <summary>Person columns: one row each. PINDAH is Tuntas' addition: 1 = this NIK moves here from another KK;
    /// STATUS_DASAR is OpenSID's life status (1 hidup, 2 mati, 3 pindah, 4 hilang, 6 pergi, 9 tidak valid).</summary>
    public static IReadOnlyList<RegistryFields.Rule> PersonRules => RegistryFields.PersonRules;

    public static IEnumerable<RegistryFields.Rule> AllRules => FamilyRules.Concat(PersonRules);

    /// <summary>The template's header: every column in the spec's order (family columns, then person columns).</summary>
    public static IReadOnlyList<string> TemplateHeader => [.. AllRules.Select(r => r.Column)];

    /// <summary>Registry column behind a family rule, by import name.</summary>
    internal static RegistryColumn<Family> FamilyColumn(string import) => RegistryFields.FamilyColumn(import);

    internal static RegistryColumn<Person>? PersonColumn(string import) => RegistryFields.PersonColumn(import);
}
