using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Tuntas.Web.Dci;

namespace Tuntas.Web.Api;

/// <summary>
/// Makes <c>/openapi/v1.json</c> say what the API really does, so that a client generated from it, or a linter
/// (<c>@redocly/cli lint</c> in <c>.ci/run</c>), can trust it:
/// <list type="bullet">
/// <item>the three ways in as security schemes — the back-office cookie, <c>X-Api-Key</c>, a bearer token from the DCI
/// token endpoint — and on every operation which of them it takes (an anonymous one says so with an empty requirement),
/// with its 401 and 403 answers and their bodies as they are sent — RFC 9457 problem details
/// (<c>application/problem+json</c>, <see cref="Problem"/>) on <c>/api</c>, the standard's error body
/// (<see cref="DciError"/>) on <c>/api/dci</c>;</item>
/// <item>an <c>operationId</c> on every operation (its endpoint name, or one made from the method and route);</item>
/// <item>unique schema names: a nested record is named with the class it is declared in (<c>FamiliesApi.FamilyView</c> →
/// <c>FamiliesApiFamilyView</c>), so eleven different <c>Outcome</c> records are no longer merged into one;</item>
/// <item>the server as a relative URL and the licence.</item>
/// </list>
/// </summary>
public static class OpenApiDescription
{
    public const string Cookie = "cookie";
    public const string ApiKey = "apiKey";
    public const string Bearer = "bearer";
    /// <summary>The schema of a 401/403 answer on /api: what the status-code pages write (Program.cs) and what a refused check throws.</summary>
    public const string Problem = "ProblemDetails";
    /// <summary>The DCI standard's error body (<c>{"errors": [{"code", "message"}]}</c>) of a refused DCI request.</summary>
    public const string DciError = "DciErrorResponse";
    private const string ProblemJson = "application/problem+json";

    public static IServiceCollection AddTuntasOpenApi(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options =>
        {
            options.CreateSchemaReferenceId = info =>
                OpenApiOptions.CreateDefaultSchemaReferenceId(info) is { } id && info.Type.DeclaringType is { } outer && !id.StartsWith(outer.Name, StringComparison.Ordinal)
                    ? outer.Name + id
                    : OpenApiOptions.CreateDefaultSchemaReferenceId(info);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Servers = [new OpenApiServer { Url = "/", Description = "This Tuntas installation" }];
                document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
                document.Components.Schemas[Problem] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "RFC 9457 problem details.",
                    Required = new HashSet<string> { "type", "title", "status" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = Text("A URI reference naming the kind of problem (the RFC 9110 section of the status)."),
                        ["title"] = Text("The status in words."),
                        ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
                        ["detail"] = Text("What went wrong, when there is more to say."),
                        ["instance"] = Text("The request's path."),
                        ["traceId"] = Text("The request's trace id, to find it in the server's log."),
                    },
                };
                document.Components.Schemas[DciError] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "The DCI standard's error body (docs/dci.md): err.request.unauthorized, err.signature.missing, err.signature.invalid, err.sender_uri.invalid ….",
                    Required = new HashSet<string> { "errors" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["errors"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Items = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "code" },
                                Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = Text("The standard's error code."), ["message"] = Text("What went wrong, in general words.") },
                            },
                        },
                    },
                };
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [Cookie] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Cookie,
                        Name = "tuntas.masuk",
                        Description = "The back-office session cookie, set by signing in at /Masuk.",
                    },
                    [ApiKey] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = ApiKeyHandler.HeaderName,
                        Description = "An API client's key (back office Pengguna → Klien API, or `tuntas users api-client`).",
                    },
                    [Bearer] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An API client's access token from POST /api/dci/oauth2/client/token (OAuth 2.0 client credentials; docs/dci.md).",
                    },
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // A double is written as a number, or as "NaN"/"Infinity"/"-Infinity" (Program.cs: named floating-point
                // literals): never an object, which is what the generator says. Said as one schema — a number, or a
                // string of those three (a pattern constrains strings only) — rather than an anyOf, which client
                // generators turn into a class of its own that no number deserializes into (NSwag: GeneratedClientTests).
                if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Object) && schema.AnyOf is { Count: > 0 } anyOf
                    && anyOf.Any(a => a.Type == JsonSchemaType.Number))
                {
                    var nullable = type.HasFlag(JsonSchemaType.Null) || Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null;
                    schema.Type = JsonSchemaType.Number | JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
                    schema.Pattern = "^(NaN|-?Infinity)$";
                    schema.AnyOf = null;
                }
                // A property left out when null ([JsonIgnore(WhenWritingNull)]) is not required, whatever the constructor says.
                foreach (var property in context.JsonTypeInfo.Properties)
                {
                    if (property.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true) is { Length: > 0 })
                    {
                        schema.Required?.Remove(property.Name);
                    }
                }
                if (context.JsonTypeInfo.Type == typeof(PublicApi.StatusRequest))
                {
                    // The status check takes the NIK with the name, or the NIK with the NO_KK (CheckStatus).
                    schema.Required = new HashSet<string> { "nik" };
                    schema.Description = "The NIK with either the full name (nama) or the KK number (noKk).";
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var description = context.Description;
                operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");
                if (operation.RequestBody?.Content is { } bodies && bodies.TryGetValue("multipart/form-data", out var form))
                {
                    InlineFiles(form.Schema);
                }
                var metadata = description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
                // The DCI adapter's routes, not /api/dci-subscriptions (the back office's JSON, with problem details like the rest of /api).
                var dci = (description.RelativePath ?? "").StartsWith(DciApi.Prefix[1..] + "/", StringComparison.OrdinalIgnoreCase);
                operation.Responses ??= new OpenApiResponses();
                if (anonymous)
                {
                    operation.Security = [new OpenApiSecurityRequirement()];
                    return Task.CompletedTask;
                }
                OpenApiSecurityRequirement Requirement(string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] };
                operation.Security = dci ? [Requirement(Bearer)] : [Requirement(Cookie), Requirement(ApiKey), Requirement(Bearer)];
                OpenApiResponse Refusal(string description, string schema, string mediaType) => new()
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = new OpenApiSchemaReference(schema, context.Document) } },
                };
                if (dci)
                {
                    operation.Responses["401"] = Refusal("No valid bearer token (err.request.unauthorized), or a missing or invalid message signature (err.signature.missing, err.signature.invalid).",
                        DciError, "application/json");
                    return Task.CompletedTask;
                }
                operation.Responses["401"] = Refusal("Not signed in: no cookie, key or token, or one that is not (or no longer) valid.", Problem, ProblemJson);
                operation.Responses["403"] = Refusal("Signed in, but the role, region scope or organization does not allow this.", Problem, ProblemJson);
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// A multipart form as one object of its fields, with a file field written inline (<c>{type: string, format: binary}</c>)
    /// instead of as a reference to the <c>IFormFile</c> component: client generators recognise a file only so (NSwag
    /// otherwise drops it, or types it as its FileParameter without generating that class).
    /// </summary>
    private static void InlineFiles(IOpenApiSchema? schema)
    {
        if (schema is not OpenApiSchema form)
        {
            return;
        }
        // One object with every field, as a form is: the generator reads a file field only there, not inside an allOf.
        if (form.AllOf is { Count: > 0 } parts && parts.All(p => p is OpenApiSchema { Properties: not null }))
        {
            form.Properties ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var (name, property) in parts.Cast<OpenApiSchema>().SelectMany(p => p.Properties!))
            {
                form.Properties[name] = property;
            }
            form.AllOf = null;
        }
        foreach (var (name, property) in form.Properties?.ToList() ?? [])
        {
            if (property is OpenApiSchemaReference { Reference.Id: "IFormFile" })
            {
                form.Properties![name] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            }
        }
        foreach (var part in form.AllOf ?? [])
        {
            InlineFiles(part);
        }
    }

    /// <summary><c>GET api/families/{id}</c> → <c>getApiFamiliesById</c>: unique because method and route are.</summary>
    public static string OperationId(string method, string route)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.StartsWith('{') ? "By" + segment.Trim('{', '}').Split(':')[0] : segment;
            foreach (var word in name.Split('-', '.', '_'))
            {
                if (word.Length > 0)
                {
                    id.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
                }
            }
        }
        return id.ToString();
    }
}
