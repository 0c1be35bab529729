using System.Net;
using System.Text.Json;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// The OpenAPI document is a contract a client can trust: every JSON GET endpoint, called with demo data, answers with a
/// body that validates against the schema the document gives for it (JSON Schema 2020-12, as OpenAPI 3.1 defines).
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_json_get_endpoint_answers_what_the_document_says(string provider)
    {
        await using var app = await CreateDemoAsync(provider, 400);
        var admin = await app.SignInAsync("admin", "tuntas-demo");
        var text = await admin.GetStringAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var baseUri = new Uri("https://tuntas.example/openapi/v1.json");
        var registry = new SchemaRegistry();
        registry.Register(new JsonElementBaseDocument(root, baseUri));
        // The body against the schema the document gives at paths/{path}/get/responses/{response}/schema: what does not match.
        IEnumerable<string> Check(string path, string response, string body)
        {
            var pointer = "#/paths/" + path.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal) + "/get/responses/" + response + "/schema";
            var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$ref"] = baseUri + pointer }),
                new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 });
            var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            return result.IsValid ? [] : [string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}")).Take(8))];
        }

        var values = await ParameterValuesAsync(app);
        var anonymous = app.CreateClient();
        var villageOperator = await app.SignInAsync("operator", "tuntas-demo");
        var refusals = new Dictionary<int, int> { [401] = 0, [403] = 0 };
        var checkedCount = 0;
        var problems = new List<string>();
        var uncovered = new List<string>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || !get.GetProperty("responses").TryGetProperty("200", out var ok)
                || !ok.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out _))
            {
                continue;
            }
            var url = Fill(path.Name, get, values);
            if (url is null)
            {
                uncovered.Add(path.Name);
                continue;
            }
            // Refused: the answer is the one the document gives for 401 and 403 (media type and body), as a client sees it.
            foreach (var (who, refused) in new[] { (anonymous, HttpStatusCode.Unauthorized), (villageOperator, HttpStatusCode.Forbidden) })
            {
                using var answer = await who.GetAsync(url);
                if (answer.StatusCode != refused)
                {
                    if (refused == HttpStatusCode.Unauthorized && get.TryGetProperty("security", out var security) && security.EnumerateArray().Any(r => r.EnumerateObject().Any()))
                    {
                        problems.Add($"{url} without credentials: {(int)answer.StatusCode}");
                    }
                    continue;
                }
                var status = ((int)refused).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var mediaType = answer.Content.Headers.ContentType?.MediaType ?? "(none)";
                if (!get.GetProperty("responses").TryGetProperty(status, out var documented) || !documented.TryGetProperty("content", out var media)
                    || !media.TryGetProperty(mediaType, out _))
                {
                    problems.Add($"{url}: {status} {mediaType} is not in the document");
                    continue;
                }
                problems.AddRange(Check(path.Name, $"{status}/content/{Uri.EscapeDataString(mediaType.Replace("/", "~1", StringComparison.Ordinal))}", await answer.Content.ReadAsStringAsync()).Select(p => $"{url} ({status}): {p}"));
                refusals[(int)refused]++;
            }
            var response = await admin.GetAsync(url);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            {
                uncovered.Add(path.Name);
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"{url}: {(int)response.StatusCode}");
                continue;
            }
            checkedCount++;
            problems.AddRange(Check(path.Name, "200/content/application~1json", await response.Content.ReadAsStringAsync()).Select(p => $"{url}: {p}"));
        }
        Assert.True(problems.Count == 0, $"{problems.Count} of {checkedCount} JSON GET answers differ from the document:\n" + string.Join("\n", problems));
        Assert.True(checkedCount > 40, $"only {checkedCount} endpoints checked");
        // Without credentials every protected endpoint answers 401; the village operator is refused the administrator's
        // few regency-only reads (the rest of what it may call answers it within its village): both kinds are checked.
        Assert.True(refusals[401] > 40 && refusals[403] > 0, $"refusals checked: {refusals[401]} × 401, {refusals[403]} × 403");
        // What the demo regency has none of (no complaint, change request, verivali period, second run, ticket, BKM plan or
        // activity, CSR commitment funding a P2KP activity, DCI subscription): named here so that a new endpoint cannot slip past unchecked.
        Assert.Equal(
            ["/api/change-requests/{id}/diff", "/api/complaints/{id}", "/api/dci-subscriptions/{id}", "/api/public/complaints/{ticket}", "/api/targeting/compare",
                "/api/upk/kegiatan/{id}", "/api/upk/pendanaan/{commitmentId}", "/api/upk/rencana/{id}", "/api/verivali/periods/{id}/berita-acara"],
            uncovered.Order(StringComparer.Ordinal).ToArray());
    }

    private static async Task<Dictionary<string, string>> ParameterValuesAsync(TuntasWebFactory app)
    {
        await using var db = app.Database.CreateDb();
        var family = await db.Families.AsNoTracking().OrderBy(f => f.Id).FirstAsync();
        var program = await db.Programs.AsNoTracking().OrderBy(p => p.Id).FirstAsync();
        static string Text(long? id) => (id ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = Text(family.Id),
            ["/api/imports/{id}"] = Text(await db.ImportJobs.MinAsync(j => (long?)j.Id)),
            ["/api/targeting/runs/{id}"] = Text(await db.TargetingRuns.MinAsync(j => (long?)j.Id)),
            ["/api/stakeholders/{id}"] = Text(await db.Stakeholders.MinAsync(j => (long?)j.Id)),
            ["/api/needs/{id}"] = Text(await db.Needs.MinAsync(j => (long?)j.Id)),
            ["/api/meetings/{id}"] = Text(await db.Meetings.MinAsync(j => (long?)j.Id)),
            ["desa"] = family.KodeDesa,
            ["program"] = program.Code,
            ["programCode"] = program.Code,
        };
    }

    /// <summary>The URL with its path parameters and required query parameters filled from demo data; null when one is unknown.</summary>
    private static string? Fill(string template, JsonElement operation, Dictionary<string, string> values)
    {
        var url = template;
        var query = new List<string>();
        foreach (var parameter in operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            var name = parameter.GetProperty("name").GetString()!;
            var where = parameter.GetProperty("in").GetString();
            var required = parameter.TryGetProperty("required", out var r) && r.GetBoolean();
            if (where == "path")
            {
                var byRoute = values.Keys.Where(k => k.StartsWith('/') && template.StartsWith(k, StringComparison.Ordinal)).MaxBy(k => k.Length);
                var value = byRoute is not null ? values[byRoute] : name == "code" ? (template.Contains("program", StringComparison.OrdinalIgnoreCase) ? values["program"] : values["desa"]) : values.GetValueOrDefault(name);
                if (value is null)
                {
                    return null;
                }
                url = url.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }
            else if (where == "query" && (required || values.ContainsKey(name)) && values.TryGetValue(name, out var value))
            {
                query.Add(name + "=" + Uri.EscapeDataString(value));
            }
            else if (where == "query" && required)
            {
                return null;
            }
        }
        return query.Count == 0 ? url : url + "?" + string.Join("&", query);
    }
}
