using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Models;

/// <summary>The three kinds of scoring model (docs/targeting.md).</summary>
public static class ModelKinds
{
    /// <summary>Count of criteria met against a threshold: the BPS 14 criteria of a poor household (DOMAIN §3).</summary>
    public const string Kriteria = "kriteria";
    /// <summary>Weighted indicator score with classes (OpenSID "Analisis", OpenSPP PMT style). Higher = poorer.</summary>
    public const string Skor = "skor";
    /// <summary>Regression proxy means test: OLS of log consumption per capita on proxies. Lower prediction = poorer.</summary>
    public const string Regresi = "regresi";
}

public sealed record Criterion(string Code, string Name, ConditionNode Condition);

public sealed record Indicator(string Code, string Name, ConditionNode Condition, double Weight);

public sealed record ScoreClass(string Name, double Min);

/// <summary>A regression proxy. <see cref="Impute"/>: null = a family missing it gets no prediction; a number or
/// "rerata" (the calibration sample's mean) fills the gap, and how often it did is reported.</summary>
public sealed record Variable(string Code, ValueNode Value, double? ImputeValue, bool ImputeMean);

/// <summary>
/// A scoring model read from its JSON definition (stored as data, versioned in <c>targeting_models</c>). Every problem
/// is reported with its JSON path; an invalid definition is never saved.
/// </summary>
public sealed class ModelDefinition
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public int Threshold { get; init; }
    public IReadOnlyList<Criterion> Criteria { get; init; } = [];
    public IReadOnlyList<Indicator> Indicators { get; init; } = [];
    public IReadOnlyList<ScoreClass> Classes { get; init; } = [];
    public int MaxUnknown { get; init; }
    public string Target { get; init; } = "pengeluaran_perkapita";
    public IReadOnlyList<Variable> Variables { get; init; } = [];
    public int Folds { get; init; } = 5;
    public double Quota { get; init; } = 0.25;
    public double PovertyLine { get; init; }

    public static ModelDefinition? Parse(string json, List<TargetingIssue> issues)
    {
        if (RuleParser.ParseJson(json, issues) is not { } root)
        {
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.Add(TargetingMessages.Issue("$", "MODEL_REQUIRED", "jenis"));
            return null;
        }
        var parser = new RuleParser(allowRunFields: false, allowEligible: false);
        var kind = Text(root, "jenis");
        var name = Text(root, "nama");
        if (name is null)
        {
            issues.Add(TargetingMessages.Issue("$.nama", "MODEL_REQUIRED", "nama"));
        }
        ModelDefinition? model = kind switch
        {
            ModelKinds.Kriteria => ParseKriteria(root, name ?? "", parser, issues),
            ModelKinds.Skor => ParseSkor(root, name ?? "", parser, issues),
            ModelKinds.Regresi => ParseRegresi(root, name ?? "", parser, issues),
            _ => null,
        };
        if (kind is not (ModelKinds.Kriteria or ModelKinds.Skor or ModelKinds.Regresi))
        {
            issues.Add(TargetingMessages.Issue("$.jenis", "MODEL_KIND"));
        }
        issues.AddRange(parser.Issues);
        return issues.Count == 0 ? model : null;
    }

    private static ModelDefinition ParseKriteria(JsonElement root, string name, RuleParser parser, List<TargetingIssue> issues)
    {
        var criteria = Items(root, "kriteria", issues, (item, path) =>
            parser.ParseCondition(Property(item, "syarat", path, issues), $"{path}.syarat") is { } condition
                ? new Criterion(Code(item, path, issues), Text(item, "nama") ?? "", condition)
                : null);
        var threshold = Number(root, "ambang", issues, min: 1, max: Math.Max(1, criteria.Count)) ?? 0;
        return new ModelDefinition { Kind = ModelKinds.Kriteria, Name = name, Criteria = criteria, Threshold = (int)threshold };
    }

    private static ModelDefinition ParseSkor(JsonElement root, string name, RuleParser parser, List<TargetingIssue> issues)
    {
        var indicators = Items(root, "indikator", issues, (item, path) =>
        {
            var weight = Number(item, "bobot", issues, min: -1000, max: 1000, path: path);
            return parser.ParseCondition(Property(item, "syarat", path, issues), $"{path}.syarat") is { } condition && weight is not null
                ? new Indicator(Code(item, path, issues), Text(item, "nama") ?? "", condition, weight.Value)
                : null;
        });
        var classes = root.TryGetProperty("kelas", out _)
            ? Items(root, "kelas", issues, (item, path) =>
                Number(item, "min", issues, min: -1e9, max: 1e9, path: path) is { } min ? new ScoreClass(Text(item, "nama") ?? "", min) : null)
            : [];
        var maxUnknown = root.TryGetProperty("maksTidakDiketahui", out _) ? Number(root, "maksTidakDiketahui", issues, 0, 1000) ?? 0 : 0;
        return new ModelDefinition
        {
            Kind = ModelKinds.Skor,
            Name = name,
            Indicators = indicators,
            Classes = [.. classes.OrderByDescending(c => c.Min)],
            MaxUnknown = (int)maxUnknown,
        };
    }

    private static ModelDefinition ParseRegresi(JsonElement root, string name, RuleParser parser, List<TargetingIssue> issues)
    {
        var target = Text(root, "target") ?? "pengeluaran_perkapita";
        if (TargetingFields.Find(target) is not { Scope: FieldScope.Family, Type: FieldType.Number })
        {
            issues.Add(TargetingMessages.Issue("$.target", "MODEL_TARGET"));
        }
        var variables = Items(root, "variabel", issues, (item, path) =>
        {
            double? imputeValue = null;
            var imputeMean = false;
            if (item.TryGetProperty("jikaTidakDiketahui", out var impute))
            {
                if (impute.ValueKind == JsonValueKind.Number)
                {
                    imputeValue = impute.GetDouble();
                }
                else if (impute.ValueKind == JsonValueKind.String && impute.GetString() == "rerata")
                {
                    imputeMean = true;
                }
                else
                {
                    issues.Add(TargetingMessages.Issue($"{path}.jikaTidakDiketahui", "MODEL_NUMBER", "jikaTidakDiketahui", "atau \"rerata\" / or \"rerata\""));
                }
            }
            var value = parser.ParseValue(Property(item, "nilai", path, issues), $"{path}.nilai");
            if (value is not null && RuleParser.TypeOf(value) == FieldType.Text)
            {
                issues.Add(TargetingMessages.Issue($"{path}.nilai", "TYPE", "Variabel regresi harus angka; pakai {\"=\": [kolom, \"teks\"]} untuk variabel dummy (a regression variable must be numeric)."));
                return null;
            }
            return value is null ? null : new Variable(Code(item, path, issues), value, imputeValue, imputeMean);
        });
        return new ModelDefinition
        {
            Kind = ModelKinds.Regresi,
            Name = name,
            Target = target,
            Variables = variables,
            Folds = (int)(Number(root, "lipatan", issues, 2, 20, optional: 5) ?? 5),
            Quota = Number(root, "kuota", issues, 0.01, 0.99, optional: 0.25) ?? 0.25,
            PovertyLine = Number(root, "garisKemiskinan", issues, 1, 1e9) ?? 0,
        };
    }

    private static List<T> Items<T>(JsonElement root, string name, List<TargetingIssue> issues, Func<JsonElement, string, T?> parse)
        where T : class
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            issues.Add(TargetingMessages.Issue($"$.{name}", "EMPTY_LIST", name));
            return [];
        }
        var items = new List<T>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var path = $"$.{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                issues.Add(TargetingMessages.Issue(path, "MODEL_REQUIRED", "{…}"));
                continue;
            }
            if (parse(item, path) is { } parsed)
            {
                items.Add(parsed);
            }
        }
        foreach (var duplicate in items.Select(CodeOf).Where(c => c.Length > 0).GroupBy(c => c).Where(g => g.Count() > 1))
        {
            issues.Add(TargetingMessages.Issue($"$.{name}", "MODEL_DUPLICATE_CODE", duplicate.Key));
        }
        return items;
    }

    private static string CodeOf(object item) => item switch
    {
        Criterion c => c.Code,
        Indicator i => i.Code,
        Variable v => v.Code,
        _ => "",
    };

    private static JsonElement Property(JsonElement item, string name, string path, List<TargetingIssue> issues)
    {
        if (item.TryGetProperty(name, out var value))
        {
            return value;
        }
        issues.Add(TargetingMessages.Issue($"{path}.{name}", "MODEL_REQUIRED", name));
        return JsonDocument.Parse("true").RootElement;
    }

    private static string Code(JsonElement item, string path, List<TargetingIssue> issues)
    {
        var code = Text(item, "kode");
        if (string.IsNullOrWhiteSpace(code))
        {
            issues.Add(TargetingMessages.Issue($"{path}.kode", "MODEL_REQUIRED", "kode"));
            return "";
        }
        return code;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;

    private static double? Number(JsonElement item, string name, List<TargetingIssue> issues, double min, double max, double? optional = null, string path = "$")
    {
        if (!item.TryGetProperty(name, out var value))
        {
            if (optional is not null)
            {
                return optional;
            }
            issues.Add(TargetingMessages.Issue($"{path}.{name}", "MODEL_REQUIRED", name));
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max)
        {
            issues.Add(TargetingMessages.Issue($"{path}.{name}", "MODEL_NUMBER", name, $"{min:0.##}–{max:0.##}"));
            return null;
        }
        return value.GetDouble();
    }
}
