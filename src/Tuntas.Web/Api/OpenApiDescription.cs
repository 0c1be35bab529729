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
/// with its 401 and 403 answers;</item>
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
                // A double is written as a number, or as "NaN"/"Infinity" (Program.cs: named floating-point literals):
                // never an object, which is what the generator says.
                if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Object) && schema.AnyOf is { Count: > 0 } anyOf
                    && anyOf.Any(a => a.Type == JsonSchemaType.Number))
                {
                    schema.Type = null;
                    foreach (var literal in anyOf.OfType<OpenApiSchema>().Where(a => a.Enum is { Count: > 0 }))
                    {
                        literal.Type = JsonSchemaType.String;
                    }
                    if (type.HasFlag(JsonSchemaType.Null) || Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null)
                    {
                        anyOf.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
                    }
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
                var metadata = description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
                var dci = (description.RelativePath ?? "").StartsWith(DciApi.Prefix[1..], StringComparison.OrdinalIgnoreCase);
                operation.Responses ??= new OpenApiResponses();
                if (anonymous)
                {
                    operation.Security = [new OpenApiSecurityRequirement()];
                    return Task.CompletedTask;
                }
                OpenApiSecurityRequirement Requirement(string scheme) => new() { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] };
                operation.Security = dci ? [Requirement(Bearer)] : [Requirement(Cookie), Requirement(ApiKey), Requirement(Bearer)];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Not signed in: no cookie, key or token, or one that is not (or no longer) valid." });
                if (!dci)
                {
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "Signed in, but the role, region scope or organization does not allow this." });
                }
                return Task.CompletedTask;
            });
        });

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
