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
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tuntas.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var web = Path.Combine(root.FullName, "src", "Tuntas.Web");
        HashSet<string> Keys(string file) =>
            [.. XDocument.Load(Path.Combine(web, "Resources", file)).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];
        var indonesian = Keys("SharedResource.resx");
        var english = Keys("SharedResource.en.resx");
        var used = Directory.EnumerateFiles(Path.Combine(web, "Pages"), "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .ToList();
        Assert.True(used.Count > 100, "the pages' keys were found");
        var missing = used.Where(u => !indonesian.Contains(u.Key) || !english.Contains(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "missing texts (add them to Resources/texts.tsv and run generate.py): " + string.Join(", ", missing));
    }
}
