using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Rules;

/// <summary>
/// Reads the JSON form of conditions and values (docs/targeting.md, "Rule language") into nodes, collecting every
/// problem with its JSON path instead of stopping at the first: an analyst fixes a rule in one pass. Refuses unknown
/// fields (suggesting the nearest name), member fields outside a member aggregate, text compared with numbers,
/// division by a constant zero, and — in scoring models — targeting results, which would make a model depend on itself.
/// </summary>
public sealed class RuleParser(bool allowRunFields, bool allowEligible)
{
    private static readonly string[] _comparisons = ["<", "<=", ">", ">=", "=", "!="];
    private static readonly string[] _conditionOperators = ["all", "any", "not", .. _comparisons, "in", "known", "anyMember", "allMembers", "eligible", "field"];
    private static readonly string[] _valueOperators = ["field", "+", "-", "*", "/", "count", "sum", "min", "max"];

    public List<TargetingIssue> Issues { get; } = [];

    /// <summary>Programs named by <c>eligible</c>, for the cycle check when a rule is saved.</summary>
    public HashSet<string> ReferencedPrograms { get; } = new(StringComparer.Ordinal);

    public static JsonElement? ParseJson(string json, List<TargetingIssue> issues)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            issues.Add(TargetingMessages.Issue("$", "JSON", e.Message));
            return null;
        }
    }

    public ConditionNode? ParseCondition(JsonElement element, string path, bool inMembers = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return new ConstantNode(true);
            case JsonValueKind.False:
                return new ConstantNode(false);
            case JsonValueKind.Object:
                break;
            default:
                return (ConditionNode?)Fail(path, "EXPECTED_CONDITION", Describe(element));
        }
        if (!SingleOperator(element, path, _conditionOperators, out var op, out var argument))
        {
            return null;
        }
        var at = $"{path}.{op}";
        switch (op)
        {
            case "all":
            case "any":
                {
                    var items = List(argument, at, op);
                    if (items is null)
                    {
                        return null;
                    }
                    var parsed = items.Select((item, i) => ParseCondition(item, $"{at}[{i}]", inMembers)).ToList();
                    if (parsed.Any(p => p is null))
                    {
                        return null;
                    }
                    return op == "all" ? new AllNode(parsed!) : new AnyNode(parsed!);
                }
            case "not":
                return ParseCondition(argument, at, inMembers) is { } inner ? new NotNode(inner) : null;
            case "known":
                return ParseValue(argument, at, inMembers) is { } known ? new KnownNode(known) : null;
            case "anyMember":
            case "allMembers":
                if (inMembers)
                {
                    return (ConditionNode?)Fail(at, "NESTED_MEMBERS");
                }
                return ParseCondition(argument, at, inMembers: true) is { } member ? new MembersNode(op == "allMembers", member) : null;
            case "eligible":
                if (!allowEligible)
                {
                    return (ConditionNode?)Fail(at, "ELIGIBLE_IN_MODEL");
                }
                if (argument.ValueKind != JsonValueKind.String || !ProgramCodes.IsValid(argument.GetString()!))
                {
                    return (ConditionNode?)Fail(at, "PROGRAM_CODE");
                }
                ReferencedPrograms.Add(argument.GetString()!);
                return new EligibleNode(argument.GetString()!);
            case "field":
                {
                    // A yes/no field used directly as a condition: {"field": "aset_tv"} means aset_tv = 1.
                    if (ParseValue(element, path, inMembers) is not FieldNode field)
                    {
                        return null;
                    }
                    if (field.Field.Type != FieldType.Boolean)
                    {
                        return (ConditionNode?)Fail(path, "TYPE", $"'{field.Field.Name}' bukan kolom ya/tidak; bandingkan dengan operator, mis. {{\"=\": [{{\"field\": \"{field.Field.Name}\"}}, 1]}}.");
                    }
                    return new CompareNode("=", field, new NumberNode(1));
                }
            case "in":
                return ParseIn(argument, at, inMembers);
            default:
                return ParseComparison(op, argument, at, inMembers);
        }
    }

    public ValueNode? ParseValue(JsonElement element, string path, bool inMembers = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return new NumberNode(element.GetDouble());
            case JsonValueKind.String:
                return new TextNode(element.GetString()!);
            case JsonValueKind.True:
            case JsonValueKind.False:
                return new NumberNode(element.GetBoolean() ? 1 : 0);
            case JsonValueKind.Object:
                break;
            default:
                return (ValueNode?)Fail(path, "EXPECTED_VALUE", Describe(element));
        }
        var first = element.EnumerateObject().FirstOrDefault().Name;
        if (first is not null && !_valueOperators.Contains(first) && _conditionOperators.Contains(first))
        {
            // A condition where a value is wanted: 1 when true, 0 when false (a dummy variable), unknown stays unknown.
            return ParseCondition(element, path, inMembers) is { } condition ? new ConditionValueNode(condition) : null;
        }
        if (first is "count" or "sum" or "min" or "max")
        {
            return ParseAggregate(element, path, first, inMembers);
        }
        if (!SingleOperator(element, path, _valueOperators, out var op, out var argument))
        {
            return null;
        }
        var at = $"{path}.{op}";
        if (op == "field")
        {
            return ParseField(argument, at, inMembers);
        }
        var items = List(argument, at, op);
        if (items is null)
        {
            return null;
        }
        if (items.Count < 2 || (op is "-" or "/" && items.Count != 2))
        {
            return (ValueNode?)Fail(at, "ARITY", op, op is "-" or "/" ? "tepat 2 nilai / exactly 2 values" : "paling sedikit 2 nilai / at least 2 values");
        }
        var operands = items.Select((item, i) => ParseValue(item, $"{at}[{i}]", inMembers)).ToList();
        if (operands.Any(o => o is null))
        {
            return null;
        }
        if (operands.Any(o => TypeOf(o!) == FieldType.Text))
        {
            return (ValueNode?)Fail(at, "TYPE", "Teks tidak bisa dihitung dengan + - * / (text cannot be used in arithmetic).");
        }
        if (op == "/" && Constant(operands[1]!) == 0)
        {
            return (ValueNode?)Fail($"{at}[1]", "DIVIDE_BY_ZERO");
        }
        return new ArithmeticNode(op, operands!);
    }

    private ValueNode? ParseAggregate(JsonElement element, string path, string function, bool inMembers)
    {
        var at = $"{path}.{function}";
        if (inMembers)
        {
            return (ValueNode?)Fail(at, "NESTED_MEMBERS");
        }
        JsonElement? where = null;
        JsonElement argument = default;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == function)
            {
                argument = property.Value;
            }
            else if (property.Name == "where")
            {
                where = property.Value;
            }
            else
            {
                return (ValueNode?)Fail($"{path}.{property.Name}", "UNKNOWN_OPERATOR", property.Name, function + ", where");
            }
        }
        if (function == "count")
        {
            // {"count": <condition>} counts the members satisfying it; {"count": true} counts all members.
            var condition = ParseCondition(argument, at, inMembers: true);
            return condition is null ? null : new AggregateNode("count", null, condition);
        }
        var value = ParseValue(argument, at, inMembers: true);
        var filter = where is { } w ? ParseCondition(w, $"{path}.where", inMembers: true) : null;
        if (value is null || (where is not null && filter is null))
        {
            return null;
        }
        if (TypeOf(value) == FieldType.Text)
        {
            return (ValueNode?)Fail(at, "TYPE", "Teks tidak bisa dijumlahkan (text cannot be aggregated).");
        }
        return new AggregateNode(function, value, filter);
    }

    private FieldNode? ParseField(JsonElement argument, string at, bool inMembers)
    {
        if (argument.ValueKind != JsonValueKind.String)
        {
            return (FieldNode?)Fail(at, "EXPECTED_VALUE", Describe(argument));
        }
        var name = argument.GetString()!;
        var field = TargetingFields.Find(name);
        if (field is null)
        {
            var nearest = TargetingFields.All.Select(f => f.Name)
                .OrderBy(n => NameDistance.Edits(n, name.ToLowerInvariant())).First();
            return (FieldNode?)Fail(at, "UNKNOWN_FIELD", name, nearest);
        }
        if (field.Scope == FieldScope.Person && !inMembers)
        {
            return (FieldNode?)Fail(at, "PERSON_FIELD_OUTSIDE_MEMBERS", field.Name);
        }
        if (field.Scope == FieldScope.Run && !allowRunFields)
        {
            return (FieldNode?)Fail(at, "RUN_FIELD_IN_MODEL", field.Name);
        }
        return new FieldNode(field);
    }

    private CompareNode? ParseComparison(string op, JsonElement argument, string at, bool inMembers)
    {
        var items = List(argument, at, op);
        if (items is null)
        {
            return null;
        }
        if (items.Count != 2)
        {
            return (CompareNode?)Fail(at, "ARITY", op, "tepat 2 nilai / exactly 2 values");
        }
        var left = ParseValue(items[0], $"{at}[0]", inMembers);
        var right = ParseValue(items[1], $"{at}[1]", inMembers);
        if (left is null || right is null)
        {
            return null;
        }
        var (leftType, rightType) = (TypeOf(left), TypeOf(right));
        if ((leftType == FieldType.Text) != (rightType == FieldType.Text))
        {
            return (CompareNode?)Fail(at, "TYPE", "Teks dibandingkan dengan angka (text compared with a number).");
        }
        if (leftType == FieldType.Text)
        {
            if (op is not ("=" or "!="))
            {
                return (CompareNode?)Fail(at, "TYPE", $"Teks hanya bisa dibandingkan dengan = , != atau in, bukan {op} (text compares only with =, != or in).");
            }
            if (left is not FieldNode || right is not TextNode)
            {
                return (CompareNode?)Fail(at, "TYPE", "Bandingkan kolom teks dengan teks tetap: [{\"field\": ...}, \"...\"] (compare a text field with a literal text).");
            }
            right = NormalizeText(((FieldNode)left).Field, (TextNode)right);
        }
        return new CompareNode(op, left, right);
    }

    private InNode? ParseIn(JsonElement argument, string at, bool inMembers)
    {
        var items = List(argument, at, "in");
        if (items is null)
        {
            return null;
        }
        if (items.Count != 2 || items[1].ValueKind != JsonValueKind.Array)
        {
            return (InNode?)Fail(at, "ARITY", "in", "[nilai, [pilihan, ...]] / [value, [options, ...]]");
        }
        var value = ParseValue(items[0], $"{at}[0]", inMembers);
        if (value is null)
        {
            return null;
        }
        var type = TypeOf(value);
        var options = new List<ValueNode>();
        var index = 0;
        foreach (var option in items[1].EnumerateArray())
        {
            var optionPath = $"{at}[1][{index++}]";
            if (type == FieldType.Text && option.ValueKind == JsonValueKind.String && value is FieldNode textField)
            {
                options.Add(NormalizeText(textField.Field, new TextNode(option.GetString()!)));
            }
            else if (type != FieldType.Text && option.ValueKind == JsonValueKind.Number)
            {
                options.Add(new NumberNode(option.GetDouble()));
            }
            else
            {
                return (InNode?)Fail(optionPath, "TYPE", type == FieldType.Text
                    ? "Pilihan untuk kolom teks harus teks, dan nilainya harus kolom (options of a text field must be texts)."
                    : "Pilihan harus angka (options must be numbers).");
            }
        }
        if (options.Count == 0)
        {
            return (InNode?)Fail(at, "EMPTY_LIST", "in");
        }
        return new InNode(value, options);
    }

    /// <summary>Region codes may be written plain (3314012001) or dotted (33.14.01.2001); they are stored dotted.</summary>
    private static TextNode NormalizeText(TargetingField field, TextNode text) =>
        field.Name is "kode_desa" or "kode_kecamatan" && RegionCode.ToDotted(text.Value) is { } dotted ? new TextNode(dotted) : text;

    public static FieldType TypeOf(ValueNode node) => node switch
    {
        TextNode => FieldType.Text,
        FieldNode f => f.Field.Type == FieldType.Text ? FieldType.Text : FieldType.Number,
        _ => FieldType.Number,
    };

    /// <summary>The value of an expression without fields, or null: used to refuse a division by a constant zero.</summary>
    public static double? Constant(ValueNode node) => node switch
    {
        NumberNode n => n.Value,
        ArithmeticNode a when a.Operands.Select(Constant).ToList() is var values && values.All(v => v is not null) =>
            values.Skip(1).Aggregate(values[0]!.Value, (acc, v) => a.Operator switch
            {
                "+" => acc + v!.Value,
                "-" => acc - v!.Value,
                "*" => acc * v!.Value,
                _ => v!.Value == 0 ? double.NaN : acc / v.Value,
            }),
        _ => null,
    };

    private bool SingleOperator(JsonElement element, string path, string[] allowed, out string op, out JsonElement argument)
    {
        op = "";
        argument = default;
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            count++;
            op = property.Name;
            argument = property.Value;
        }
        if (count != 1)
        {
            Fail(path, "ARITY", count == 0 ? "{}" : string.Join(", ", element.EnumerateObject().Select(p => p.Name)),
                "tepat satu operator per objek / exactly one operator per object");
            return false;
        }
        if (!allowed.Contains(op, StringComparer.Ordinal))
        {
            Fail($"{path}.{op}", "UNKNOWN_OPERATOR", op, string.Join(" ", allowed));
            return false;
        }
        return true;
    }

    private List<JsonElement>? List(JsonElement argument, string at, string op)
    {
        if (argument.ValueKind != JsonValueKind.Array)
        {
            return (List<JsonElement>?)Fail(at, "ARITY", op, "daftar [...] / a list [...]");
        }
        var items = argument.EnumerateArray().ToList();
        if (items.Count == 0)
        {
            return (List<JsonElement>?)Fail(at, "EMPTY_LIST", op);
        }
        return items;
    }

    private object? Fail(string path, string code, params object?[] args)
    {
        Issues.Add(TargetingMessages.Issue(path, code, args));
        return null;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "[…]",
        JsonValueKind.Object => "{…}",
        _ => element.GetRawText(),
    };
}

/// <summary>Program codes are short capitals (PKH, BPNT, PBIJK, BLTDD): they appear in exports separated by '|'.</summary>
public static class ProgramCodes
{
    public static bool IsValid(string code) =>
        code.Length is >= 2 and <= 20 && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_');

    public static string Normalize(string code) => code.Trim().ToUpper(CultureInfo.InvariantCulture);

    /// <summary>A code as typed, normalised; an invalid one adds <paramref name="problem"/> on <paramref name="field"/> to
    /// <paramref name="issues"/> (the caller goes on checking, so that every issue is listed at once).</summary>
    public static string Read(string typed, string field, string problem, List<TargetingIssue> issues)
    {
        var code = Normalize(typed);
        if (!IsValid(code))
        {
            issues.Add(TargetingMessages.Issue(field, problem));
        }
        return code;
    }
}
