using System.Diagnostics;
using System.Xml.Linq;
using Tuntas.FieldCollection;

namespace Tuntas.Web.Tests.OpenRosa;

/// <summary>
/// Every generated XForm goes through the real ODK tooling that runs here: the XSL stylesheets of enketo-transformer
/// (the XForm engine of ODK Central's and KoboToolbox's web forms; npm, installed by .ci/run into OpenRosa/enketo)
/// applied by Debian's xsltproc (the package's native libxslt binding does not build on this Node). A transform error,
/// or an HTML form that lacks one of the form's inputs, fails the test.
/// </summary>
public sealed class XFormTransformTests
{
    private static readonly XNamespace _xf = "http://www.w3.org/2002/xforms";

    private static string EnketoFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Tuntas.Web.Tests", "OpenRosa", "enketo", "node_modules", "enketo-transformer", "dist", "enketo-transformer", "xsl");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            "enketo-transformer is not installed: run `npm ci --ignore-scripts --prefix tests/Tuntas.Web.Tests/OpenRosa/enketo` (as .ci/run does).");
    }

    private static (int Exit, string Out, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The stylesheet text an enketo-transformer module exports (its default export is the XSL string).</summary>
    private static string Stylesheet(string folder, string name, string into)
    {
        var module = Path.Combine(folder, name + ".xsl.cjs");
        var (exit, xsl, error) = Run("node", "-e", "process.stdout.write(require(process.argv[1]).default)", module);
        Assert.True(exit == 0 && xsl.Contains("xsl:stylesheet", StringComparison.Ordinal), $"{name}: {error}");
        var path = Path.Combine(into, name + ".xsl");
        File.WriteAllText(path, xsl);
        return path;
    }

    [Fact]
    public void Every_generated_form_transforms_with_enketo_transformer_and_keeps_all_its_inputs()
    {
        var folder = EnketoFolder();
        var work = Directory.CreateTempSubdirectory("tuntas-xform-").FullName;
        try
        {
            var html = Stylesheet(folder, "openrosa2html5form", work);
            var model = Stylesheet(folder, "openrosa2xmlmodel", work);
            foreach (var formId in FieldForms.All)
            {
                var xml = FieldForms.Build(formId, 7);
                var formPath = Path.Combine(work, formId + ".xml");
                File.WriteAllText(formPath, xml);

                var (exit, form, error) = Run("xsltproc", html, formPath);
                Assert.True(exit == 0 && !error.Contains("error", StringComparison.OrdinalIgnoreCase), $"{formId}: {error}");
                var inputs = XDocument.Parse(xml).Descendants().Where(e => e.Name.Namespace == _xf && e.Name.LocalName is "input" or "select1" or "upload")
                    .Select(e => (string)e.Attribute("ref")!).ToList();
                Assert.NotEmpty(inputs);
                foreach (var input in inputs)
                {
                    Assert.True(form.Contains($"name=\"{input}\"", StringComparison.Ordinal), $"{formId}: the HTML form lacks {input}");
                }
                Assert.Contains("Bahasa Indonesia", form, StringComparison.Ordinal);
                Assert.Contains("English", form, StringComparison.Ordinal);

                var (modelExit, instance, modelError) = Run("xsltproc", model, formPath);
                Assert.True(modelExit == 0 && !modelError.Contains("error", StringComparison.OrdinalIgnoreCase), $"{formId}: {modelError}");
                Assert.Contains($"id=\"{formId}\"", instance, StringComparison.Ordinal);
                Assert.Contains("version=\"7\"", instance, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
