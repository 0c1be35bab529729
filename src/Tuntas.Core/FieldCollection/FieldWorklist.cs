using Tuntas.Registry;
using Tuntas.Verivali;

namespace Tuntas.FieldCollection;

/// <summary>
/// What the offline form in the browser (/Lapangan/Formulir) downloads and keeps on the phone: the same data the ODK
/// forms' media files carry (<see cref="FieldMedia"/>: the user's assigned families with their current values, their
/// living members, the villages they may propose a family in) and the forms themselves as field descriptions generated
/// from the same rules as the XForms (<see cref="FieldForms"/>), with the current version of each form so a submission
/// names it as Collect's would. NO_KK leaves only masked, in the label; no NIK leaves at all.
/// </summary>
public sealed class FieldWorklist(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string UserName, AccessScope Scope);

    public sealed record Choice(string Value, string Label, string LabelEn);

    /// <param name="Name">The instance element (the import column in lower case).</param>
    /// <param name="Kind">select, int, decimal, date or text.</param>
    /// <param name="Pattern">An HTML pattern for the digits-only texts (NIK, NO_KK, RT/RW).</param>
    public sealed record Field(string Name, string Kind, bool Required, string Label, string LabelEn, double? Min, double? Max, int? MaxLength,
        string? Pattern, IReadOnlyList<Choice>? Choices);

    public sealed record Form(string Id, int Version, string Title);

    /// <param name="Line">The worklist line (what the visit form sends as <c>baris</c>).</param>
    /// <param name="Values">The registry's current value of every field a visit may correct, by instance element.</param>
    public sealed record Family(long Line, string Label, string Head, string Address, IReadOnlyDictionary<string, string?> Values);

    public sealed record Member(long Id, long Line, string Name, bool Head);

    public sealed record Village(string Code, string Label);

    public sealed record Outcome(string UserName, DateTime DownloadedAt, IReadOnlyList<Form> Forms, IReadOnlyList<Choice> Outcomes,
        IReadOnlyList<Choice> LifeStatuses, IReadOnlyList<Field> VisitFields, IReadOnlyList<Field> FamilyFields, IReadOnlyList<Field> PersonFields,
        IReadOnlyList<Family> Families, IReadOnlyList<Member> Members, IReadOnlyList<Village> Villages);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var publish = new PublishForms(db, clock);
        var forms = new List<Form>();
        foreach (var formId in FieldForms.All)
        {
            forms.Add(new Form(formId, (await publish.CurrentAsync(formId, cancellationToken)).Version, FieldForms.Title(formId)));
        }
        var media = new FieldMedia(db);
        var columns = FieldForms.VisitFamilyRules.Select(r => (Name: r.Column.ToLowerInvariant(), Column: RegistryFields.FamilyColumn(r.Column))).ToList();
        var families = (await media.FamilyRowsAsync(input.UserName, cancellationToken))
            .Select(r => new Family(r.LineId, FieldMedia.Label(r), r.Head, r.Address,
                columns.ToDictionary(c => c.Name, c => RegistryColumns.Canonical(c.Column.Get(r.Family)), StringComparer.Ordinal)))
            .ToList();
        var members = (await media.MemberRowsAsync(input.UserName, cancellationToken)).Select(m => new Member(m.Id, m.LineId, m.Nama, m.Head)).ToList();
        var villages = (await media.VillageRowsAsync(input.UserName, input.Scope, cancellationToken))
            .Select(v => new Village(v.Code, $"{v.Name} ({v.Code})")).ToList();
        return new Outcome(input.UserName, clock.GetUtcNow().UtcDateTime, forms,
            [.. VerivaliTerms.Outcomes.Where(o => o != VerivaliTerms.NewFamily).Select(o => Bilingual(o, FieldForms.OutcomeLabel(o)))],
            [.. FieldForms.LifeStatuses.Select(s => Bilingual(s, FieldForms.LifeStatusLabel(s)))],
            [.. FieldForms.VisitFamilyRules.Select(Describe)],
            [.. FieldForms.NewFamilyRules.Where(r => r.Column != "KODE_DESA").Select(Describe)],
            [.. FieldForms.NewPersonRules.Select(Describe)],
            families, members, villages);
    }

    /// <summary>"Data tetap / Unchanged" → its two languages.</summary>
    private static Choice Bilingual(string value, string label) =>
        label.Split(" / ") is [var id, var en] ? new Choice(value, id, en) : new Choice(value, label, label);

    /// <summary>A registry rule as the browser form renders and checks it: the same types, ranges and code lists as the XForm
    /// (<see cref="XFormBuilder.FieldControl"/>); the server checks everything again on submission.</summary>
    public static Field Describe(RegistryFields.Rule rule)
    {
        var name = rule.Column.ToLowerInvariant();
        double? Bound(double value) => value is double.MinValue or double.MaxValue ? null : value;
        if (rule.Kind == RegistryFields.Kind.Bool01)
        {
            return new Field(name, "select", rule.Required, rule.Label, rule.LabelEn, null, null, null, null, [new("1", "Ya", "Yes"), new("0", "Tidak", "No")]);
        }
        if (rule.Codes is { } codes)
        {
            return new Field(name, "select", rule.Required, rule.Label, rule.LabelEn, null, null, null, null,
                [.. codes.OrderBy(c => c.Key).Select(c => new Choice(c.Key.ToString(CultureInfo.InvariantCulture), c.Value, c.Value))]);
        }
        return rule.Kind switch
        {
            RegistryFields.Kind.Int or RegistryFields.Kind.Long or RegistryFields.Kind.Power =>
                new Field(name, "int", rule.Required, rule.Label, rule.LabelEn, Bound(rule.Min), Bound(rule.Max), null, null, null),
            RegistryFields.Kind.Decimal => new Field(name, "decimal", rule.Required, rule.Label, rule.LabelEn, Bound(rule.Min), Bound(rule.Max), null, null, null),
            RegistryFields.Kind.Date => new Field(name, "date", rule.Required, rule.Label, rule.LabelEn, null, null, null, null, null),
            RegistryFields.Kind.Nik or RegistryFields.Kind.NoKk => new Field(name, "text", rule.Required, rule.Label, rule.LabelEn, null, null, 16, "[0-9]{16}", null),
            RegistryFields.Kind.Neighbourhood => new Field(name, "text", rule.Required, rule.Label, rule.LabelEn, null, null, 3, "[0-9]{1,3}", null),
            _ => new Field(name, "text", rule.Required, rule.Label, rule.LabelEn, null, null, rule.MaxLength, null, null),
        };
    }
}
