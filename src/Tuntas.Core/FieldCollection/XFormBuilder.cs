using System.Xml.Linq;
using Tuntas.Registry;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.FieldCollection;

/// <summary>
/// Writes an ODK XForm (ODK XForms 1.0 specification: a model with the primary instance, binds with types, constraints
/// and relevance, secondary instances from CSV media, itext translations; then the body's controls) from the registry's
/// own field rules (<see cref="RegistryFields"/>) and code lists (<see cref="CodeLabels"/>), so a form never drifts from
/// what the import and the registry accept. Labels are in Bahasa Indonesia (default) and English.
/// </summary>
internal sealed class XFormBuilder
{
    public static readonly XNamespace Xf = "http://www.w3.org/2002/xforms";
    public static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Jr = "http://openrosa.org/javarosa";
    public static readonly XNamespace Odk = "http://www.opendatakit.org/xforms";
    public static readonly XNamespace Orx = "http://openrosa.org/xforms";

    public const string LanguageId = "Bahasa Indonesia (id)";
    public const string LanguageEn = "English (en)";

    private readonly List<XElement> _binds = [];
    private readonly List<XElement> _instances = [];
    private readonly List<(string Id, string Text, string TextEn)> _texts = [];
    private readonly string _formId;
    private readonly string _title;

    public XFormBuilder(string formId, string title)
    {
        _formId = formId;
        _title = title;
    }

    /// <summary>The primary instance's root (its children are added by the form's definition).</summary>
    public XElement Root { get; } = new(Xf + "data");

    /// <summary>The body's controls, in order.</summary>
    public XElement Body { get; } = new(H + "body");

    public void SecondaryCsv(string id, string fileName) =>
        _instances.Add(new XElement(Xf + "instance", new XAttribute("id", id), new XAttribute("src", "jr://file-csv/" + fileName)));

    public XElement Bind(string nodeset, string? type, string? required = null, string? constraint = null, string? constraintMessage = null,
        string? relevant = null, string? calculate = null, bool readOnly = false)
    {
        var bind = new XElement(Xf + "bind", new XAttribute("nodeset", nodeset), type is null ? null : new XAttribute("type", type));
        if (required is not null)
        {
            bind.Add(new XAttribute("required", required));
        }
        if (constraint is not null)
        {
            bind.Add(new XAttribute("constraint", constraint));
            if (constraintMessage is not null)
            {
                bind.Add(new XAttribute(Jr + "constraintMsg", constraintMessage));
            }
        }
        if (relevant is not null)
        {
            bind.Add(new XAttribute("relevant", relevant));
        }
        if (calculate is not null)
        {
            bind.Add(new XAttribute("calculate", calculate));
        }
        if (readOnly)
        {
            bind.Add(new XAttribute("readonly", "true()"));
        }
        _binds.Add(bind);
        return bind;
    }

    /// <summary>A label element pointing at a translated text (itext), registered for both languages.</summary>
    public XElement Label(string path, string text, string textEn, string suffix = "label") => Translated("label", path + ":" + suffix, text, textEn);

    public XElement Hint(string path, string text, string textEn) => Translated("hint", path + ":hint", text, textEn);

    private XElement Translated(string element, string id, string text, string textEn)
    {
        _texts.Add((id, text, textEn));
        return new XElement(Xf + element, new XAttribute("ref", $"jr:itext('{id}')"));
    }

    public static XElement Item(string value, string label) =>
        new(Xf + "item", new XElement(Xf + "label", label), new XElement(Xf + "value", value));

    /// <summary>The control and bind of one registry field, with the import's rule as constraint (what RegistryFields.Parse accepts).</summary>
    public XElement FieldControl(string path, RegistryFields.Rule rule, bool required, string? relevant)
    {
        var (label, labelEn) = FieldLabel(rule.Column);
        var requiredAttr = required ? "true()" : null;
        var range = rule.Range;
        var codes = rule.Codes;
        if (rule.Kind == RegistryFields.Kind.Bool01)
        {
            Bind(path, "string", requiredAttr, relevant: relevant);
            return new XElement(Xf + "select1", new XAttribute("ref", path), Label(path, label, labelEn), Item("1", "Ya / Yes"), Item("0", "Tidak / No"));
        }
        if (codes is not null)
        {
            Bind(path, "string", requiredAttr, relevant: relevant);
            return new XElement(Xf + "select1", new XAttribute("ref", path), Label(path, label, labelEn),
                codes.OrderBy(c => c.Key).Select(c => Item(c.Key.ToString(CultureInfo.InvariantCulture), c.Value)));
        }
        var min = rule.Min.ToString(CultureInfo.InvariantCulture);
        var max = rule.Max.ToString(CultureInfo.InvariantCulture);
        var outside = $"Di luar aturan impor ({range}) / Outside the import rule ({range})";
        var (type, constraint, message) = rule.Kind switch
        {
            RegistryFields.Kind.Int => ("int", $". >= {min} and . <= {max}", outside),
            // PLN connection classes below 2,200 VA: 450, 900, 1,300 (RegistryFields' power rule).
            RegistryFields.Kind.Power => ("int", $". = 0 or . = 450 or . = 900 or . = 1300 or (. >= 2200 and . <= {max})",
                "Daya PLN: 0, 450, 900, 1300 atau ≥ 2200 / PLN power: 0, 450, 900, 1300 or ≥ 2200"),
            // JavaRosa's int is 32-bit: rupiah amounts above 2.1 billion need a decimal holding a whole number.
            RegistryFields.Kind.Long => ("decimal", $". >= {min} and . <= {max} and floor(.) = .", outside),
            RegistryFields.Kind.Decimal => ("decimal", $". >= {min} and . <= {max}", outside),
            RegistryFields.Kind.Date => ("date", ". <= today()", "Tanggal tidak boleh di masa depan / The date cannot be in the future"),
            RegistryFields.Kind.Neighbourhood => ("string", "regex(., '^[0-9]{1,3}$')", "1–3 angka / 1–3 digits"),
            RegistryFields.Kind.NoKk => ("string", "regex(., '^[0-9]{16}$')", "NO_KK 16 angka / NO_KK is 16 digits"),
            // Nik.TryParse: 16 digits, a province code, then DDMMYY with day + 40 for women (or 0 + desa code + serial, temporary).
            RegistryFields.Kind.Nik => ("string", "regex(., '^[0-9]{16}$') and (substr(., 0, 1) = '0' or ((int(substr(., 6, 8)) >= 1 and int(substr(., 6, 8)) <= 31 "
                + "or int(substr(., 6, 8)) >= 41 and int(substr(., 6, 8)) <= 71) and int(substr(., 8, 10)) >= 1 and int(substr(., 8, 10)) <= 12))",
                "NIK 16 angka dengan tanggal lahir yang sah / NIK is 16 digits with a valid birth date"),
            _ => ("string", $"string-length(.) <= {rule.MaxLength}", $"Paling banyak {rule.MaxLength} karakter / At most {rule.MaxLength} characters"),
        };
        Bind(path, type, requiredAttr, constraint, message, relevant);
        return new XElement(Xf + "input", new XAttribute("ref", path), Label(path, label, labelEn));
    }

    /// <summary>The field's label in both languages, from the registry's field catalogue.</summary>
    public static (string Id, string En) FieldLabel(string column) =>
        (RegistryFields.FamilyRule(column) ?? RegistryFields.PersonRule(column)) is { } rule ? (rule.Label, rule.LabelEn) : (column, column);

    /// <summary>The whole document, with <paramref name="version"/> on the primary instance.</summary>
    public string Write(int version)
    {
        var root = new XElement(Root);
        root.SetAttributeValue("id", _formId);
        root.SetAttributeValue("version", version.ToString(CultureInfo.InvariantCulture));
        var itext = new XElement(Xf + "itext",
            new XElement(Xf + "translation", new XAttribute("lang", LanguageId), new XAttribute("default", "true()"),
                _texts.Select(t => new XElement(Xf + "text", new XAttribute("id", t.Id), new XElement(Xf + "value", Outputs(t.Text))))),
            new XElement(Xf + "translation", new XAttribute("lang", LanguageEn),
                _texts.Select(t => new XElement(Xf + "text", new XAttribute("id", t.Id), new XElement(Xf + "value", Outputs(t.TextEn))))));
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null),
            new XElement(H + "html",
                new XAttribute(XNamespace.Xmlns + "h", H.NamespaceName),
                new XAttribute("xmlns", Xf.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "jr", Jr.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "odk", Odk.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "orx", Orx.NamespaceName),
                new XElement(H + "head",
                    new XElement(H + "title", _title),
                    new XElement(Xf + "model", new XAttribute(Odk + "xforms-version", "1.0.0"),
                        itext,
                        new XElement(Xf + "instance", root),
                        _instances,
                        _binds)),
                new XElement(Body)));
        using var writer = new Utf8StringWriter();
        document.Save(writer, SaveOptions.None);
        return writer.ToString();
    }

    /// <summary>A text with <c>${/data/x}</c> placeholders becomes text with &lt;output value="/data/x"/&gt; elements.</summary>
    private static IEnumerable<object> Outputs(string text)
    {
        var rest = text;
        while (rest.IndexOf("${", StringComparison.Ordinal) is var start and >= 0)
        {
            var end = rest.IndexOf('}', start);
            yield return rest[..start];
            yield return new XElement(Xf + "output", new XAttribute("value", rest[(start + 2)..end]));
            rest = rest[(end + 1)..];
        }
        yield return rest;
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture)
        {
        }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
