using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// OWASP ASVS 4.1.1 / 8.2: every route of the app, read from its own endpoint table (a new route is walked without
/// editing this test), requested anonymously with every method it accepts. Nothing personal comes back, nothing fails
/// with a server error, the API answers 401 and the back office sends the visitor to the sign-in page; only the public
/// side (portal, public API, health, OpenAPI, static files) answers anonymously. A 415 is routing refusing a JSON body
/// where an upload endpoint accepts only multipart, before anyone is asked who they are; it carries nothing.
/// </summary>
public sealed class AnonymousWalkTests
{
    private const string Name = "Warga Rahasia Keden";

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task No_route_gives_an_anonymous_visitor_personal_data_or_a_server_error(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember(Name, 2, new DateOnly(1981, 5, 6), 1));
        var secrets = new[] { Name, family.NoKk, family.Persons[0].Nik };
        var anonymous = app.CreateBrowser();
        var failures = new List<string>();
        var walked = 0;
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter =>
                    parameter.Name.Equals("code", StringComparison.OrdinalIgnoreCase) ? "PKH"
                    : parameter.Name.Contains("kode", StringComparison.OrdinalIgnoreCase) || parameter.Name.Contains("region", StringComparison.OrdinalIgnoreCase) ? Keden
                    : parameter.Name.Contains("year", StringComparison.OrdinalIgnoreCase) ? "2026"
                    : family.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get, HttpMethods.Post];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimEnd('/') is { Length: > 0 } p ? p : "/");
                if (method != HttpMethods.Get && method != HttpMethods.Head)
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                using var response = await anonymous.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                walked++;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {path}: {(int)response.StatusCode}");
                }
                if (secrets.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal)) is { } leaked)
                {
                    failures.Add($"{method} {path}: shows '{leaked}' to an anonymous visitor");
                }
                var isPublic = path.StartsWith("/api/public", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/Publik", StringComparison.OrdinalIgnoreCase)
                    || path is "/health" or "/Masuk" or "/Error" || path.StartsWith("/Status", StringComparison.OrdinalIgnoreCase)
                    || path.StartsWith("/openapi", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/bahasa", StringComparison.OrdinalIgnoreCase);
                if (!isPublic && path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)
                    && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.UnsupportedMediaType))
                {
                    failures.Add($"{method} {path}: {(int)response.StatusCode}, expected 401 for an anonymous API call");
                }
                if (!isPublic && !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && response.IsSuccessStatusCode)
                {
                    failures.Add($"{method} {path}: {(int)response.StatusCode}, expected the sign-in page for an anonymous visitor");
                }
            }
        }
        Assert.True(walked > 50, $"the endpoint table lists the app's routes ({walked} requests)");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
