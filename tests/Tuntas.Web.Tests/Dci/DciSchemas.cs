using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tuntas.Web.Tests.Dci;

/// <summary>
/// The DCI standard's own OpenAPI files (<c>Standard/</c>, copied from spdci/standards) as JSON Schema: a message is checked
/// against the schema at a JSON pointer inside the published document (e.g. the sync search's request body), with its
/// <c>$ref</c>s resolved inside the same document, and date-time and URI formats enforced.
/// </summary>
public static class DciSchemas
{
    public const string Social = "social_api_v1.0.0.yaml";
    public const string Authz = "authz_core_api_v1.0.0.yaml";
    /// <summary>The registry core API: subscribe, unsubscribe, notify and their callbacks (the social API has none of them).</summary>
    public const string Core = "registry_core_api_v1.0.0.yaml";

    public const string SyncSearchRequest = "#/paths/~1registry~1sync~1search/post/requestBody/content/application~1json/schema";
    public const string SyncSearchResponse = "#/paths/~1registry~1sync~1search/post/responses/default/content/application~1json/schema";
    public const string HttpError = "#/components/responses/HttpErrorResponse/content/application~1json/schema";
    public const string TokenResponse = "#/components/schemas/OAuth2ClientTokenResponse";

    private static readonly Lazy<SchemaRegistry> _registry = new(() =>
    {
        var registry = new SchemaRegistry();
        foreach (var file in new[] { Social, Authz, Core })
        {
            registry.Register(new JsonElementBaseDocument(Load(file), DocumentUri(file)));
        }
        return registry;
    });

    private static Uri DocumentUri(string file) => new("https://dci.example/" + file);

    /// <summary>The problems of <paramref name="instance"/> against the schema at <paramref name="pointer"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Problems(string file, string pointer, JsonElement instance)
    {
        var reference = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = DocumentUri(file) + pointer });
        var schema = JsonSchema.Build(reference, new BuildOptions { SchemaRegistry = _registry.Value, Dialect = Dialect.Draft202012 });
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))];
    }

    public static void AssertValid(string file, string pointer, JsonElement instance)
    {
        var problems = pointer == SyncSearchRequest ? SearchRequestProblems(instance) : Problems(file, pointer, instance);
        Assert.True(problems.Count == 0, "Not valid against " + file + pointer + ":\n" + string.Join("\n", problems.Take(20)) + "\n" + instance.GetRawText()[..Math.Min(2000, instance.GetRawText().Length)]);
    }

    private const string QueryAlternatives = "#/components/schemas/SearchRequest/properties/search_request/items/properties/search_criteria/properties/query/oneOf/";

    /// <summary>
    /// The published <c>SearchRequest.search_criteria.query</c> is a <c>oneOf</c> whose expression alternative (0) and
    /// identifier alternative (1, whose value may be any object) both accept every expression query, so no expression
    /// can pass the <c>oneOf</c> as written (the standard's own sample cannot either). Such a query is checked against
    /// its own alternative, and the rest of the message with an unambiguous identifier query in its place.
    /// </summary>
    private static List<string> SearchRequestProblems(JsonElement instance)
    {
        var message = JsonNode.Parse(instance.GetRawText())!;
        var problems = new List<string>();
        foreach (var item in message["message"]?["search_request"]?.AsArray() ?? [])
        {
            if (item?["search_criteria"] is JsonObject criteria && criteria["query"] is JsonObject query && query["value"] is JsonObject)
            {
                problems.AddRange(Problems(Social, QueryAlternatives + "0", JsonSerializer.SerializeToElement(query)));
                criteria["query"] = new JsonObject { ["type"] = "NIK", ["value"] = "checked-above" };
            }
        }
        problems.AddRange(Problems(Social, SyncSearchRequest, JsonSerializer.SerializeToElement(message)));
        return problems;
    }

    /// <summary>YAML to JSON: plain scalars become numbers, booleans and null as YAML 1.2's core schema reads them.</summary>
    public static JsonElement Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dci", "Standard", file)));
        stream.Load(reader);
        var document = ToJson(stream.Documents[0].RootNode)!;
        Rebase(document, document);
        return JsonSerializer.SerializeToElement(document);
    }

    /// <summary>
    /// Some of the standard's <c>$ref</c>s point through another reference (e.g. <c>#/paths/…/message/oneOf/0/properties/…</c>,
    /// where <c>oneOf/0</c> is itself a <c>$ref</c> to <c>SearchRequest</c>): OpenAPI tools follow such paths, JSON Schema
    /// does not. Each is rewritten to the place it reaches, following the references on the way; nothing else changes.
    /// </summary>
    private static void Rebase(JsonNode node, JsonNode root)
    {
        if (node is JsonObject obj)
        {
            if (obj["$ref"] is JsonValue value && value.GetValue<string>() is { } target && target.StartsWith("#/", StringComparison.Ordinal)
                && Walk(root, target) is { } direct && direct != target)
            {
                obj["$ref"] = direct;
            }
            foreach (var (_, child) in obj.ToList())
            {
                if (child is not null)
                {
                    Rebase(child, root);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.ToList())
            {
                if (child is not null)
                {
                    Rebase(child, root);
                }
            }
        }
    }

    /// <summary>The pointer that reaches <paramref name="target"/>'s node without passing through a reference; null if none does.</summary>
    private static string? Walk(JsonNode root, string target) => Resolve(root, Segments(target));

    private static List<string> Segments(string pointer) =>
        [.. pointer[2..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static string? Resolve(JsonNode root, List<string> segments)
    {
        JsonNode? current = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var next = current switch
            {
                JsonObject o => o[segments[i]],
                JsonArray a when int.TryParse(segments[i], CultureInfo.InvariantCulture, out var index) && index < a.Count => a[index],
                _ => null,
            };
            if (next is null)
            {
                // Follow the reference and go on from where it points.
                return current is JsonObject o2 && o2["$ref"] is JsonValue r && r.GetValue<string>() is { } inner && inner.StartsWith("#/", StringComparison.Ordinal)
                    ? Resolve(root, [.. Segments(inner), .. segments.Skip(i)])
                    : null;
            }
            current = next;
        }
        return "#/" + string.Join('/', segments.Select(Escape));
    }

    private static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                {
                    var result = new JsonObject();
                    foreach (var (key, value) in mapping.Children)
                    {
                        result[((YamlScalarNode)key).Value!] = ToJson(value);
                    }
                    return result;
                }
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(ToJson)]);
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: var text }:
                return text switch
                {
                    null or "" or "~" or "null" => null,
                    "true" => JsonValue.Create(true),
                    "false" => JsonValue.Create(false),
                    _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
                    _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                    _ => JsonValue.Create(text),
                };
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? "");
            default:
                return null;
        }
    }
}
