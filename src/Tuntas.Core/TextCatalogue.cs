using System.Resources;

namespace Tuntas;

/// <summary>
/// A catalogue of texts read by key in both of Tuntas's languages: the web's and the CLI's <c>texts.tsv</c> (key,
/// Indonesian, English) generated into resx files, the one pattern for UI, CLI and API messages (docs/architecture.md,
/// Naming). Indonesian is the neutral resource, English the <c>en</c> satellite, loaded on the first English text. A
/// text is a composite format string (<c>{0}</c>, braces doubled), formatted in the invariant culture so numbers read
/// the same on every machine.
/// </summary>
public sealed class TextCatalogue(ResourceManager resources)
{
    private static readonly CultureInfo _english = CultureInfo.GetCultureInfo("en");

    /// <summary>The Indonesian text (the neutral resources).</summary>
    public string Id(string key, params object?[] args) => Format(key, CultureInfo.InvariantCulture, args);

    /// <summary>The English text (the <c>en</c> satellite).</summary>
    public string En(string key, params object?[] args) => Format(key, _english, args);

    /// <summary>Both, for a reader without a language of their own (the CLI, an API client): "Indonesian / English".</summary>
    public string Both(string key, params object?[] args) => Id(key, args) + " / " + En(key, args);

    /// <summary>A refusal of the host's own (not a use case's), its message in both languages.</summary>
    public Problem Problem(string key, string field, string code, params object?[] args) =>
        new(field, code, Id(key, args), En(key, args));

    private string Format(string key, CultureInfo language, object?[] args) =>
        string.Format(CultureInfo.InvariantCulture,
            resources.GetString(key, language) ?? throw new InvalidOperationException($"No text {key} in {resources.BaseName} (texts.tsv)."), args);
}
