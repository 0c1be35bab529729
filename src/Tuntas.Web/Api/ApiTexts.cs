using System.Resources;

namespace Tuntas.Web.Api;

/// <summary>
/// The API's own texts — a route's check of a parameter, a refusal an endpoint makes before any use case runs, the
/// titles of its problem details, its OpenAPI tags — by key from the web's <c>Resources/texts.tsv</c>, like every
/// other text of the web app. An API client has no culture cookie, so it reads both languages, "Indonesian /
/// English", as the CLI does. Every call names its key as a string literal first argument: <c>ResourceTests</c> finds
/// the keys used by that shape.
/// </summary>
public static class ApiTexts
{
    private static readonly TextCatalogue _catalogue = new(new ResourceManager("Tuntas.Web.Resources.SharedResource", typeof(SharedResource).Assembly));

    /// <summary>Both languages: "Indonesian / English".</summary>
    public static string Both(string key, params object?[] args) => _catalogue.Both(key, args);

    /// <summary>A refusal of the endpoint's own, answered through <see cref="ApiProblems"/>.</summary>
    public static Problem Problem(string key, string field, string code, params object?[] args) => _catalogue.Problem(key, field, code, args);
}
