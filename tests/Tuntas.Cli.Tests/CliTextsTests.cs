using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Tuntas.Cli.Tests;

/// <summary>
/// The CLI's texts catalogue (src/Tuntas.Cli/Resources/texts.tsv): every key the source names is there in Indonesian and
/// English, every key there is used, and the generated resx files are the table as it is now.
/// </summary>
public sealed partial class CliTextsTests
{
    [GeneratedRegex("""CliTexts\.(?:Both|Id|En|Problem)\((?<literal>\s*"(?<key>[^"]*)")?""")]
    private static partial Regex Call();

    private static readonly string _cli = Path.Combine(Root(), "src", "Tuntas.Cli");

    [Fact]
    public void Every_key_the_CLI_names_is_in_the_table_in_both_languages_and_every_key_there_is_used()
    {
        var table = Table();
        var calls = Directory.EnumerateFiles(_cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "CliTexts.cs")
            .SelectMany(f => Call().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Match: m)))
            .ToList();
        Assert.True(calls.Count > 150, "the CLI's texts were found");
        // A key computed at run time could not be checked here: every call names its key as a literal.
        var computed = calls.Where(c => !c.Match.Groups["literal"].Success).Select(c => c.File).Distinct().ToList();
        Assert.True(computed.Count == 0, "CliTexts called without a literal key in: " + string.Join(", ", computed));
        var used = calls.Select(c => c.Match.Groups["key"].Value).ToHashSet();

        var missing = used.Where(k => !table.TryGetValue(k, out var texts) || texts.Id.Length == 0 || texts.En.Length == 0).Order().ToList();
        Assert.True(missing.Count == 0, "keys used but not in Resources/texts.tsv in both languages: " + string.Join(", ", missing));
        var unused = table.Keys.Where(k => !used.Contains(k)).Order().ToList();
        Assert.True(unused.Count == 0, "keys in Resources/texts.tsv that no command uses: " + string.Join(", ", unused));
    }

    [Theory]
    [InlineData("CliTexts.resx", 1)]
    [InlineData("CliTexts.en.resx", 2)]
    public void The_resx_files_are_generated_from_the_table_as_it_is(string file, int column)
    {
        var table = Table();
        var resx = XDocument.Load(Path.Combine(_cli, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
        var stale = table.Where(t => !resx.TryGetValue(t.Key, out var text) || text != (column == 1 ? t.Value.Id : t.Value.En)).Select(t => t.Key)
            .Concat(resx.Keys.Where(k => !table.ContainsKey(k))).Order().ToList();
        Assert.True(stale.Count == 0, $"{file} differs from Resources/texts.tsv (run python3 src/Tuntas.Web/Resources/generate.py): " + string.Join(", ", stale));
    }

    [Fact]
    public void Both_languages_are_printed_Indonesian_then_English_each_with_its_own_numbers_whatever_the_machine_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            foreach (var machine in new[] { "id-ID", "en-US", "de-DE" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(machine);
                Assert.Equal("Periode #7 dibuka, 12.345 baris daftar kerja / period #7 opened, 12,345 worklist lines",
                    CliTexts.Both("Verivali.PeriodOpened", 7L, 12_345));
                Assert.Equal("1.234 keluarga, 5.678 orang dari 1 desa ditulis ke x.xlsx / 1,234 families, 5,678 persons written to x.xlsx (villages: 1)",
                    CliTexts.Both("Registry.Exported", 1_234, 5_678, 1, "x.xlsx"));
            }
            var problem = CliTexts.Problem("Linkage.ConfigNotFound", "config", "LINKAGE_BERKAS", "/tmp/x.json");
            Assert.Equal(new Problem("config", "LINKAGE_BERKAS", "Berkas konfigurasi tidak ditemukan", "config file not found: /tmp/x.json"), problem);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static Dictionary<string, (string Id, string En)> Table() =>
        File.ReadAllLines(Path.Combine(_cli, "Resources", "texts.tsv")).Where(l => l.Trim().Length > 0).Select(l => l.Split('\t'))
            .ToDictionary(r => r[0], r => (Id: r.Length > 1 ? r[1] : "", En: r.Length > 2 ? r[2] : ""));

    private static string Root()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tuntas.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        return root.FullName;
    }
}
