using Tuntas.Collaboration;
using Tuntas.Web.Display;

namespace Tuntas.Web.Collaboration;

/// <summary>Collaboration codes (helix, need kind, commitment status, lab status …) as words in the reader's language: the
/// codes stay in the data, the API and the exports; people read names.</summary>
public static class TermLabels
{
    public static string Of(this IReadOnlyList<CollaborationTerms.Term> terms, string? code) => CollaborationTerms.Label(terms, code, Show.English);

    public static string Display(this CollaborationTerms.Term term) => Show.English ? term.NameEn : term.Name;

    /// <summary>A stakeholder's resources ('|'-separated codes) as names.</summary>
    public static string ResourceNames(string codes) =>
        string.Join(", ", codes.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => CollaborationTerms.Resources.Of(c)));
}
