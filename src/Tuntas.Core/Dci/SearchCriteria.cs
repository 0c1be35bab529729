using Tuntas.Regions;

namespace Tuntas.Dci;

/// <summary>
/// One DCI <c>search_criteria</c>, read and checked (DCI Social Registry API v1.0.0, <c>SearchRequest</c>) before anything
/// is queried. Three query types of the standard are understood:
/// <list type="bullet">
/// <item><c>idtype-value</c>: <c>{"type": "NIK" | "NO_KK", "value": "16 digits"}</c>.</item>
/// <item><c>expression</c>: the standard's NoSql form, <c>{"type": "…", "value": {"expression": {"collection": "Group",
/// "query": {"$and": [{"poverty_score": {"$le": 4}}, …]}}}}</c>; operators <c>$eq $lt $le $lte $gt $ge $gte $in</c>.</item>
/// <item><c>predicate</c>: the standard's list of <c>{expression1: {attribute_name, operator, attribute_value}, condition: "and",
/// expression2}</c>; every item and every condition is a conjunction (<c>or</c>/<c>not</c> are refused, not guessed).</item>
/// </list>
/// Attributes (<see cref="Attributes"/>) and sort keys (<see cref="SortKeys"/>) are documented field by field in docs/dci.md.
/// </summary>
public sealed record SearchCriteria(
    SearchCriteria.Identifier? ById, IReadOnlyList<SearchCriteria.Filter> Filters, IReadOnlyList<SearchCriteria.Sort> Sorts,
    int PageSize, int PageNumber, bool Members)
{
    public const string IdTypeValue = "idtype-value";
    public const string Expression = "expression";
    public const string Predicate = "predicate";

    public const string Nik = "NIK";
    public const string NoKk = "NO_KK";

    /// <summary>Kemendagri code of a kecamatan or desa (dotted or plain): families whose village lies in it.</summary>
    public const string Location = "location";
    /// <summary>The family's desil in the latest targeting run (Tuntas's own estimate).</summary>
    public const string PovertyScore = "poverty_score";
    /// <summary>The official DTSEN desil as imported.</summary>
    public const string DesilNasional = "desil_nasional";
    /// <summary>Living members of the family.</summary>
    public const string GroupSize = "group_size";
    /// <summary>Code of a program the family is enrolled in now (status terdaftar).</summary>
    public const string Program = "program";
    public const string LastUpdated = "last_updated";

    public static readonly IReadOnlyList<string> Attributes = [Location, PovertyScore, DesilNasional, GroupSize, Program];
    public static readonly IReadOnlyList<string> SortKeys = [PovertyScore, DesilNasional, GroupSize, Location, LastUpdated];

    public const int DefaultPageSize = 20;

    public sealed record Identifier(string Type, string Value);

    /// <param name="Operator">eq, lt, le, gt, ge or in.</param>
    /// <param name="Numbers">The values of a numeric attribute; <paramref name="Texts"/> of a text one.</param>
    public sealed record Filter(string Attribute, string Operator, IReadOnlyList<int> Numbers, IReadOnlyList<string> Texts);

    public sealed record Sort(string Attribute, bool Descending);

    /// <summary>A request the registry refuses, with the standard's reason code and a message that names no data.</summary>
    public sealed record Rejection(string Code, string Message);

    public static (SearchCriteria? Criteria, Rejection? Rejection) Read(JsonElement criteria, int maxPageSize)
    {
        try
        {
            return (ReadOrThrow(criteria, maxPageSize), null);
        }
        catch (RejectedException rejected)
        {
            return (null, rejected.Rejection);
        }
    }

    private sealed class RejectedException(string code, string message) : Exception(message)
    {
        public Rejection Rejection { get; } = new(code, message);
    }

    private static RejectedException Reject(string code, string message) => new(code, message);

    private static SearchCriteria ReadOrThrow(JsonElement criteria, int maxPageSize)
    {
        if (criteria.ValueKind != JsonValueKind.Object)
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "search_criteria must be an object.");
        }
        var queryType = Text(criteria, "query_type");
        if (!criteria.TryGetProperty("query", out var query))
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "search_criteria.query is required.");
        }
        var entity = Text(criteria, "response_entity") ?? "Group";
        if (entity is not ("Group" or "Member"))
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "response_entity must be Group or Member.");
        }
        Identifier? byId = null;
        List<Filter> filters = [];
        switch (queryType)
        {
            case IdTypeValue:
                byId = ReadIdentifier(query);
                break;
            case Expression:
                ReadExpression(query, filters);
                break;
            case Predicate:
                ReadPredicate(query, filters);
                break;
            default:
                throw Reject(DciCodes.SearchCriteriaInvalid, "query_type must be idtype-value, expression or predicate.");
        }
        if (entity == "Member" && byId?.Type != Nik)
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "response_entity Member is answered for an idtype-value search by NIK; search groups otherwise.");
        }
        var (pageSize, pageNumber) = ReadPagination(criteria, maxPageSize);
        return new SearchCriteria(byId, filters, ReadSorts(criteria), pageSize, pageNumber, entity == "Member");
    }

    private static Identifier ReadIdentifier(JsonElement query)
    {
        if (query.ValueKind != JsonValueKind.Object)
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "An idtype-value query is {\"type\": \"NIK\" or \"NO_KK\", \"value\": \"16 digits\"}.");
        }
        var type = Text(query, "type");
        if (type is not (Nik or NoKk))
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "Identifier type must be NIK or NO_KK.");
        }
        var value = query.TryGetProperty("value", out var v) ? Scalar(v) : null;
        var digits = value is null ? "" : new string([.. value.Where(c => c is not (' ' or '\'' or '-'))]);
        if (digits.Length != 16 || !digits.All(char.IsAsciiDigit))
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, type + " must be 16 digits.");
        }
        return new Identifier(type, digits);
    }

    private static void ReadExpression(JsonElement query, List<Filter> filters)
    {
        // The standard's example: {"type": "ns:org:QueryType:NoSql", "value": {"expression": {"collection": "Group", "query": {...}}}}.
        var expression = query.ValueKind == JsonValueKind.Object && query.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("expression", out var e) ? e
            : query.ValueKind == JsonValueKind.Object && query.TryGetProperty("expression", out var bare) ? bare
            : default;
        if (expression.ValueKind != JsonValueKind.Object || !expression.TryGetProperty("query", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "An expression query is {\"value\": {\"expression\": {\"collection\": \"Group\", \"query\": {\"$and\": [...]}}}}.");
        }
        if (Text(expression, "collection") is { } collection && collection != "Group")
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "The expression collection must be Group.");
        }
        ReadCondition(condition, filters);
        if (filters.Count == 0)
        {
            throw Reject(DciCodes.FilterInvalid, "The expression has no condition.");
        }
    }

    private static void ReadCondition(JsonElement condition, List<Filter> filters)
    {
        foreach (var property in condition.EnumerateObject())
        {
            if (property.Name == "$and")
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw Reject(DciCodes.FilterInvalid, "$and takes a list of conditions.");
                }
                foreach (var part in property.Value.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object)
                    {
                        throw Reject(DciCodes.FilterInvalid, "Each $and item is a condition object.");
                    }
                    ReadCondition(part, filters);
                }
            }
            else if (property.Name.StartsWith('$'))
            {
                throw Reject(DciCodes.FilterInvalid, "Only $and combines conditions here ($or and $not are not supported).");
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var op in property.Value.EnumerateObject())
                {
                    filters.Add(MakeFilter(property.Name, op.Name.TrimStart('$'), op.Value));
                }
            }
            else
            {
                filters.Add(MakeFilter(property.Name, "eq", property.Value));
            }
        }
    }

    private static void ReadPredicate(JsonElement query, List<Filter> filters)
    {
        if (query.ValueKind != JsonValueKind.Array || query.GetArrayLength() == 0)
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "A predicate query is a non-empty list of {expression1, condition, expression2}.");
        }
        foreach (var item in query.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("expression1", out var first))
            {
                throw Reject(DciCodes.SearchCriteriaInvalid, "Each predicate item needs expression1.");
            }
            filters.Add(PredicateFilter(first));
            if (item.TryGetProperty("expression2", out var second) && second.ValueKind == JsonValueKind.Object)
            {
                if ((Text(item, "condition") ?? "and") != "and")
                {
                    throw Reject(DciCodes.FilterInvalid, "Only the condition \"and\" is supported.");
                }
                filters.Add(PredicateFilter(second));
            }
        }
    }

    private static Filter PredicateFilter(JsonElement expression)
    {
        if (expression.ValueKind != JsonValueKind.Object || Text(expression, "attribute_name") is not { } name || Text(expression, "operator") is not { } op
            || !expression.TryGetProperty("attribute_value", out var value))
        {
            throw Reject(DciCodes.SearchCriteriaInvalid, "A predicate expression needs attribute_name, operator and attribute_value.");
        }
        return MakeFilter(name, op, value);
    }

    private static Filter MakeFilter(string attribute, string op, JsonElement value)
    {
        op = op switch { "lte" => "le", "gte" => "ge", _ => op };
        if (op is not ("eq" or "lt" or "le" or "gt" or "ge" or "in"))
        {
            throw Reject(DciCodes.FilterInvalid, "Operator must be eq, lt, le, gt, ge or in.");
        }
        // The standard's AttributeValue has no list: "in" takes a JSON list or a comma-separated string ("1,2").
        var values = value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()]
            : op == "in" && value.ValueKind == JsonValueKind.String
                ? [.. value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => JsonSerializer.SerializeToElement(v))]
                : new List<JsonElement> { value };
        if (values.Count == 0 || (op != "in" && values.Count != 1) || values.Count > 100)
        {
            throw Reject(DciCodes.FilterInvalid, $"{attribute}: give one value, or a list of 1–100 values with in.");
        }
        switch (attribute)
        {
            case PovertyScore or DesilNasional or GroupSize:
                {
                    var numbers = values.Select(v => Number(v) ?? throw Reject(DciCodes.FilterInvalid, $"{attribute} takes whole numbers.")).ToList();
                    return new Filter(attribute, op, numbers, []);
                }
            case Location or Program:
                {
                    if (op is not ("eq" or "in"))
                    {
                        throw Reject(DciCodes.FilterInvalid, $"{attribute} takes eq or in.");
                    }
                    var texts = values.Select(v => Scalar(v) is { Length: > 0 and <= 40 } s ? s.Trim() : throw Reject(DciCodes.FilterInvalid, $"{attribute} takes text values.")).ToList();
                    if (attribute == Location)
                    {
                        texts = [.. texts.Select(t => RegionCode.ToDotted(t) is { Length: 8 or 13 } code ? code
                            : throw Reject(DciCodes.FilterInvalid, "location is a Kemendagri kecamatan or desa code, e.g. 33.14.01 or 33.14.01.2001."))];
                    }
                    return new Filter(attribute, op, [], texts);
                }
            default:
                throw Reject(DciCodes.FilterInvalid, "Unknown attribute; searchable: " + string.Join(", ", Attributes) + ".");
        }
    }

    private static List<Sort> ReadSorts(JsonElement criteria)
    {
        if (!criteria.TryGetProperty("sort", out var sort) || sort.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (sort.ValueKind != JsonValueKind.Array || sort.GetArrayLength() > SortKeys.Count)
        {
            throw Reject(DciCodes.SortInvalid, "sort is a list of {attribute_name, sort_order}.");
        }
        var sorts = new List<Sort>();
        foreach (var item in sort.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.Object ? Text(item, "attribute_name") : null;
            var order = item.ValueKind == JsonValueKind.Object ? Text(item, "sort_order") ?? "asc" : null;
            if (name is null || !SortKeys.Contains(name) || order is not ("asc" or "desc"))
            {
                throw Reject(DciCodes.SortInvalid, "Sort by " + string.Join(", ", SortKeys) + ", asc or desc.");
            }
            sorts.Add(new Sort(name, order == "desc"));
        }
        return sorts;
    }

    private static (int PageSize, int PageNumber) ReadPagination(JsonElement criteria, int maxPageSize)
    {
        if (!criteria.TryGetProperty("pagination", out var pagination) || pagination.ValueKind == JsonValueKind.Null)
        {
            return (Math.Min(DefaultPageSize, maxPageSize), 1);
        }
        var size = pagination.ValueKind == JsonValueKind.Object && pagination.TryGetProperty("page_size", out var s) ? Number(s) : null;
        var number = pagination.ValueKind == JsonValueKind.Object && pagination.TryGetProperty("page_number", out var n) ? Number(n) : 1;
        if (size is not { } pageSize || pageSize < 1 || pageSize > maxPageSize || number is not { } pageNumber || pageNumber < 1 || pageNumber > 1_000_000)
        {
            throw Reject(DciCodes.PaginationInvalid, $"page_size must be 1–{maxPageSize} and page_number at least 1.");
        }
        return (pageSize, pageNumber);
    }

    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A string or number as text (the standard's examples send numbers as strings and the other way round).</summary>
    internal static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>A whole number given as a JSON number or a numeric string.</summary>
    internal static int? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };
}
