using System.Resources;

namespace Tuntas.Cli;

/// <summary>
/// The CLI's messages and help texts, by key, from <c>Resources/texts.tsv</c> (key, Indonesian, English) through the
/// resx files <c>src/Tuntas.Web/Resources/generate.py</c> writes from it — the one catalogue pattern of the web's
/// texts. A text is a composite format string (<c>{0}</c>, braces doubled), formatted in the invariant culture so
/// numbers read the same on every machine. The CLI prints both languages, "Indonesian / English".
/// Every call names its key as a string literal first argument: the CLI tests find the keys used by that shape.
/// </summary>
public static class CliTexts
{
    // Created on first use, and the English satellite assembly loaded only on the first English text.
    private static readonly ResourceManager _catalogue = new("Tuntas.Cli.Resources.CliTexts", typeof(CliTexts).Assembly);
    private static readonly CultureInfo _english = CultureInfo.GetCultureInfo("en");

    /// <summary>The Indonesian text (the neutral resources).</summary>
    public static string Id(string key, params object?[] args) => Format(key, CultureInfo.InvariantCulture, args);

    /// <summary>The English text (the <c>en</c> satellite).</summary>
    public static string En(string key, params object?[] args) => Format(key, _english, args);

    /// <summary>Both, as the CLI prints them: "Indonesian / English".</summary>
    public static string Both(string key, params object?[] args) => Id(key, args) + " / " + En(key, args);

    /// <summary>A refusal of the CLI's own (not a use case's), printed by <see cref="Refusals"/>.</summary>
    public static Problem Problem(string key, string field, string code, params object?[] args) =>
        new(field, code, Id(key, args), En(key, args));

    private static string Format(string key, CultureInfo language, object?[] args) =>
        string.Format(CultureInfo.InvariantCulture,
            _catalogue.GetString(key, language) ?? throw new InvalidOperationException("No CLI text " + key + " (Resources/texts.tsv)."), args);
}
