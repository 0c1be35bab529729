using Tuntas.Programs;
using Tuntas.Registry;

namespace Tuntas.Web.Display;

/// <summary>
/// How the back office writes a value for its reader: a term's label in the reader's language (Bahasa Indonesia by
/// default, English when chosen), a pair of texts from Core in the same language, an amount as rupiah. Rendering only:
/// no queries and no decisions live here.
/// </summary>
public static class Show
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The label of a code in a term list; the code itself when the list does not know it.</summary>
    public static string Label(IReadOnlyList<Term> terms, string? code) =>
        terms.FirstOrDefault(t => t.Code == code) is { } term ? (English ? term.LabelEn : term.Label) : code ?? "";

    public static IReadOnlyList<Term> PeriodTerms { get; } = [.. ProgramTerms.Periods.Select(p => p.Term)];

    /// <summary>A registry field's label from the field catalogue (<see cref="RegistryFields"/>), in the reader's language.</summary>
    public static string Field(string column) =>
        (RegistryFields.FamilyRule(column) ?? RegistryFields.PersonRule(column)) is { } rule ? Text(rule.Label, rule.LabelEn) : column;

    /// <summary>The English text when the reader chose English and Core gave one; the Indonesian text otherwise.</summary>
    public static string Text(string message, string? messageEn) => English && messageEn is not null ? messageEn : message;

    /// <summary>The problem's message in the reader's language.</summary>
    public static string Text(Problem problem) => Text(problem.Message, problem.MessageEn);

    public static string Rupiah(long? amount) => amount is { } a ? "Rp" + a.ToString("N0", CultureInfo.CurrentCulture) : "—";

    /// <summary>NO_KK as this reader may see it: masked unless the role verifies identities (UU PDP 27/2022).</summary>

    /// <summary>Headers for a CSV download that must not stay in a cache (personal data inside).</summary>
    public static void CsvDownload(HttpResponse response, string fileName)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
    }
}
