using System.Resources;

namespace Tuntas.Cli;

/// <summary>
/// The CLI's messages and help texts, by key, from <c>Resources/texts.tsv</c> (key, Indonesian, English) through the
/// resx files <c>src/Tuntas.Web/Resources/generate.py</c> writes from it — a <see cref="TextCatalogue"/>, as the web's
/// API texts (<c>Web/Api/ApiTexts</c>). The CLI prints both languages, "Indonesian / English".
/// Every call names its key as a string literal first argument: the CLI tests find the keys used by that shape.
/// </summary>
public static class CliTexts
{
    /// <summary>
    /// The culture of the CLI's Indonesian lines and tables: thousands grouped with a point, decimals with a comma
    /// ("Rp1.500.000", "12,5%"), as the back office's Indonesian pages write them; never the machine's culture, so a
    /// report reads the same on every server. Identifiers, dates (yyyy-MM-dd), JSON and audit details stay invariant.
    /// </summary>
    public static CultureInfo Indonesian { get; } = CultureInfo.GetCultureInfo("id");

    private static readonly TextCatalogue _catalogue = new(new ResourceManager("Tuntas.Cli.Resources.CliTexts", typeof(CliTexts).Assembly));

    /// <summary>The Indonesian text (the neutral resources).</summary>
    public static string Id(string key, params object?[] args) => _catalogue.Id(key, args);

    /// <summary>The English text (the <c>en</c> satellite).</summary>
    public static string En(string key, params object?[] args) => _catalogue.En(key, args);

    /// <summary>Both, as the CLI prints them: "Indonesian / English".</summary>
    public static string Both(string key, params object?[] args) => _catalogue.Both(key, args);

    /// <summary>A refusal of the CLI's own (not a use case's), printed by <see cref="Refusals"/>.</summary>
    public static Problem Problem(string key, string field, string code, params object?[] args) => _catalogue.Problem(key, field, code, args);
}
