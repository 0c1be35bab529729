using System.Resources;

namespace Tuntas;

/// <summary>
/// A catalogue of texts read by key in both of Tuntas's languages: the web's and the CLI's <c>texts.tsv</c> (key,
/// Indonesian, English) generated into resx files, the one pattern for UI, CLI and API messages (docs/architecture.md,
/// Naming). Indonesian is the neutral resource, English the <c>en</c> satellite, loaded on the first English text. A
/// text is a composite format string (<c>{0}</c>, braces doubled), formatted in its own language's culture, never the
/// machine's: the Indonesian half groups thousands with a point and writes decimals with a comma ("30.006 keluarga",
/// "skor 0,95", as the back office's <c>id</c> pages do), the English half the other way round ("30,006 families").
/// </summary>
public sealed class TextCatalogue(ResourceManager resources)
{
    private static readonly CultureInfo _english = CultureInfo.GetCultureInfo("en");

    private static readonly CultureInfo _indonesian = CultureInfo.GetCultureInfo("id");

    /// <summary>The Indonesian text (the neutral resources).</summary>
    public string Id(string key, params object?[] args) => Format(key, CultureInfo.InvariantCulture, _indonesian, args);

    /// <summary>The English text (the <c>en</c> satellite).</summary>
    public string En(string key, params object?[] args) => Format(key, _english, _english, args);

    /// <summary>Both, for a reader without a language of their own (the CLI, an API client): "Indonesian / English".</summary>
    public string Both(string key, params object?[] args) => Id(key, args) + " / " + En(key, args);

    /// <summary>A refusal of the host's own (not a use case's), its message in both languages.</summary>
    public Problem Problem(string key, string field, string code, params object?[] args) =>
        new(field, code, Id(key, args), En(key, args));

    /// <param name="language">The resources' culture: the neutral (Indonesian) one or <c>en</c>.</param>
    /// <param name="numbers">The culture the text's numbers are written in.</param>
    private string Format(string key, CultureInfo language, CultureInfo numbers, object?[] args) =>
        string.Format(numbers,
            resources.GetString(key, language) ?? throw new InvalidOperationException($"No text {key} in {resources.BaseName} (texts.tsv)."), args);
}
