using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Tuntas.Web.Tests;

/// <summary>Every text in resources — each literal key a page asks for exists in both languages.</summary>
public sealed partial class ResourceTests
{
    [GeneratedRegex("""T\["(?<key>[A-Za-z0-9.\-]+)"[\],]""")]
    private static partial Regex LiteralKey();

    [Fact]
    public void Every_text_key_used_by_a_page_is_in_Indonesian_and_English()
    {
        var web = WebProject();
        var (indonesian, english) = Keys(web);
        var used = Directory.EnumerateFiles(Path.Combine(web, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .ToList();
        Assert.True(used.Count > 100, "the pages' keys were found");
        AssertBothLanguages(used, indonesian, english);
    }

    private static string WebProject()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tuntas.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        return Path.Combine(root.FullName, "src", "Tuntas.Web");
    }

    private static (HashSet<string> Indonesian, HashSet<string> English) Keys(string web)
    {
        HashSet<string> Of(string file) =>
            [.. XDocument.Load(Path.Combine(web, "Resources", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
        return (Of("SharedResource.resx"), Of("SharedResource.en.resx"));
    }

    private static void AssertBothLanguages(List<(string File, string Key)> used, HashSet<string> indonesian, HashSet<string> english)
    {
        var missing = used.Where(u => !indonesian.Contains(u.Key) || !english.Contains(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "missing texts (add them to Resources/texts.tsv and run generate.py): " + string.Join(", ", missing));
    }

    [GeneratedRegex("""ApiTexts\.(?:Both|Problem)\("(?<key>[A-Za-z0-9.\-]+)"[,)]""")]
    private static partial Regex ApiKey();

    [Fact]
    public void Every_text_key_used_by_the_api_is_in_Indonesian_and_English()
    {
        var web = WebProject();
        var (indonesian, english) = Keys(web);
        var used = Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => ApiKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .ToList();
        Assert.True(used.Count > 15, "the API's keys were found");
        AssertBothLanguages(used, indonesian, english);
        // A message the API writes in both languages by hand ("… / …") belongs in the catalogue too.
        var inline = Directory.EnumerateFiles(Path.Combine(web, "Api"), "*.cs")
            .Where(f => !Path.GetFileName(f).StartsWith("Dci", StringComparison.Ordinal))
            .SelectMany(f => BilingualLiteral().Matches(string.Join('\n', File.ReadLines(f).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))))
                .Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.True(inline.Count == 0, "texts written in both languages in the code: " + string.Join(", ", inline));
    }

    /// <summary>A string literal that begins with a word and has " / " in it (a pair of codes such as "merah / kuning" does not begin with a capital).</summary>
    [GeneratedRegex("""
        "[A-Z][a-z]+[^"\\\n]* / [^"\\\n]+"
        """)]
    private static partial Regex BilingualLiteral();

    [Fact]
    public void No_text_cites_an_internal_document_or_names_an_identifier_by_its_column_in_running_text()
    {
        // docs/glossary.md: users read the rule itself, never a pointer to DOMAIN, ARCHITECTURE, an issue or a section,
        // nor to a file of the repository's docs/ that a village operator cannot open from the page;
        // NO_KK is a file's column name, said "nomor KK" / "KK number" in running text (only texts that list a file's
        // columns name it).
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tuntas.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var rows = File.ReadAllLines(Path.Combine(root.FullName, "src", "Tuntas.Web", "Resources", "texts.tsv"))
            .Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        Assert.True(rows.Count > 500, "the texts were read");
        Assert.All(rows, r => Assert.True(r.Length == 3 && r[1].Length > 0 && r[2].Length > 0, "key, Indonesian and English: " + r[0]));
        var internalReference = new Regex(@"DOMAIN|ARCHITECTURE|§|\bissue #|\[[UVS]\]|\bdocs/", RegexOptions.IgnoreCase);
        Assert.Empty(rows.Where(r => internalReference.IsMatch(r[1]) || internalReference.IsMatch(r[2])).Select(r => r[0]));
        // The seeded rules' and models' names and notes are shown on the targeting pages as they are.
        var defaults = Directory.GetFiles(Path.Combine(root.FullName, "src", "Tuntas.Core", "Targeting", "Defaults"), "*.json");
        Assert.NotEmpty(defaults);
        Assert.Empty(defaults.Where(f => internalReference.IsMatch(File.ReadAllText(f))).Select(Path.GetFileName));
        var columnList = new Regex(@"Kolom|Columns|;KELAS|;CLASS|CSV|XLSX", RegexOptions.IgnoreCase);
        Assert.Empty(rows.Where(r => (r[1].Contains("NO_KK", StringComparison.Ordinal) || r[2].Contains("NO_KK", StringComparison.Ordinal))
            && !columnList.IsMatch(r[1] + r[2])).Select(r => r[0]));
    }
}
