using System.Text.Json;
using System.Text.Json.Serialization;
using Tuntas.Registry;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Web.Pages.Penargetan;

/// <summary>
/// What the structured rule editor (wwwroot/js/rule-editor.js) offers: every field of the targeting catalogue with its
/// label in the reader's language, where it lives (family column, derived family value, member, run result), its type,
/// and the code list of a coded field, so a value is picked ("7 · Tanah") instead of typed from the questionnaire.
/// Written into a data attribute: the policy allows no inline script (ContentSecurityPolicyBrowserTests).
/// </summary>
public static class RuleEditorCatalogue
{
    /// <summary>One field as the editor reads it: name, scope (f, d, p, r), type (n, b, t), label and codes.</summary>
    public sealed record Field(
        [property: JsonPropertyName("n")] string Name,
        [property: JsonPropertyName("s")] string Scope,
        [property: JsonPropertyName("t")] string Type,
        [property: JsonPropertyName("l")] string Label,
        [property: JsonPropertyName("c")] IReadOnlyList<object[]>? Codes);

    public static string FieldsJson(bool english)
    {
        IEnumerable<(string Scope, TargetingField Field)> all =
        [
            .. TargetingFields.FamilyColumns.Select(f => ("f", f)),
            .. TargetingFields.FamilyDerived.Select(f => ("d", f)),
            .. TargetingFields.PersonColumns.Select(f => ("p", f)),
            .. TargetingFields.RunFields.Select(f => ("r", f)),
        ];
        var fields = all.Select(x => new Field(x.Field.Name, x.Scope, x.Field.Type switch
        {
            FieldType.Boolean => "b",
            FieldType.Text => "t",
            _ => "n",
        }, english ? x.Field.LabelEn : x.Field.Label, Codes(x.Field.Name)));
        return JsonSerializer.Serialize(fields);
    }

    /// <summary>The code list of a registry column, or of the family head's column a derived field copies.</summary>
    private static IReadOnlyList<object[]>? Codes(string name)
    {
        var column = name.StartsWith("kepala_", StringComparison.Ordinal) ? name["kepala_".Length..] : name;
        return CodeLabels.Of(column.ToUpperInvariant()) is { } codes ? [.. codes.OrderBy(c => c.Key).Select(c => new object[] { c.Key, c.Value })] : null;
    }
}
