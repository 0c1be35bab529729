using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Programs;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using Xunit.Abstractions;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// OWASP ASVS 5.1 / 13.1, as the probe did it: every form of every page (read from the rendered HTML) and every field of
/// every API endpoint (read from the app's own endpoint table and the handlers' parameters, so a new field is fuzzed
/// without editing this test) gets random, overlong, NUL, invalid UTF-8, unpaired-surrogate and 40-digit values, signed
/// in as an administrator and anonymously, on both databases (NUL breaks only PostgreSQL). Every page also gets a POST
/// to a handler it does not have. No answer may be a server error: a refusal is a 4xx with a message.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>One hostile value: its bytes in a form or query (percent-encoded as they are) and its JSON token.</summary>
    private sealed record Fuzz(string Name, byte[] FormBytes, string JsonString, string? JsonNumber = null);

    private static readonly Fuzz[] _values = BuildValues();

    private static Fuzz[] BuildValues()
    {
        var random = new Random(20261202);
        const string pool = "aZ09 '\"<>&%;:/\\?#=+-_.,()[]{}|`~!@$^*éÄ中文😀\u2028\t\r\n";
        var text = new StringBuilder();
        var runes = pool.EnumerateRunes().ToArray();
        for (var i = 0; i < 60; i++)
        {
            text.Append(runes[random.Next(runes.Length)].ToString());
        }
        var randomText = text.ToString();
        var overlong = new string('x', 100_000);
        const string digits = "1234567890123456789012345678901234567890";
        return
        [
            new("random", Encoding.UTF8.GetBytes(randomText), JsonSerializer.Serialize(randomText)),
            new("overlong", Encoding.UTF8.GetBytes(overlong), JsonSerializer.Serialize(overlong)),
            new("nul", "a\0b"u8.ToArray(), "\"a\\u0000b\""),
            new("invalid-utf8", [0xFF, 0xFE, 0xC3, 0x28, (byte)'x'], Encoding.Latin1.GetString([(byte)'"', 0xFF, 0xFE, 0xC3, 0x28, (byte)'"'])),
            new("surrogate", [0xED, 0xA0, 0x80], "\"\\ud800x\""),
            new("40-digits", Encoding.ASCII.GetBytes(digits), "\"" + digits + "\"", digits),
        ];
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task No_form_or_api_field_turns_hostile_input_into_a_server_error(string provider)
    {
        // The walk posts hundreds of hostile sign-in forms from one client: the sign-in throttle (its own tests) would
        // answer 429 before the administrator could sign in again.
        await using var app = await CreateAsync(provider, new Dictionary<string, string> { ["Security:SignIn:ClientAttemptsPerMinute"] = "1000000" });
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Uji Fuzz", 2, new DateOnly(1981, 5, 6), 1));
        await new SeedPrograms(app.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        var routeValues = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = family.Id.ToString(CultureInfo.InvariantCulture),
            ["familyId"] = family.Id.ToString(CultureInfo.InvariantCulture),
            ["personId"] = family.Persons[0].Id.ToString(CultureInfo.InvariantCulture),
            ["code"] = "PKH",
            ["year"] = "2026",
            ["kode"] = Keden,
            ["regionCode"] = Keden,
        };
        var failures = new List<string>();
        var sent = 0;
        var administrator = new Visitor("administrator", app, signedIn: true);
        var anonymous = new Visitor("anonymous", app, signedIn: false);
        foreach (var visitor in new[] { administrator, anonymous })
        {
            await visitor.StartAsync();
            foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
            {
                var path = Path(endpoint.RoutePattern, routeValues, fuzz: null);
                if (path is "/Keluar" || path.StartsWith("/openapi", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                var requests = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null
                    || endpoint.Metadata.Any(m => m.GetType().Name.Contains("PageRouteMetadata", StringComparison.Ordinal))
                    ? await PageRequestsAsync(visitor, path)
                    : ApiRequests(app, endpoint, routeValues);
                foreach (var build in requests)
                {
                    using var request = build();
                    using var response = await visitor.SendAsync(request);
                    sent++;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{visitor.Name} {request.Method} {Describe(request)}: {(int)response.StatusCode}");
                    }
                }
            }
        }
        output.WriteLine($"{sent} requests sent");
        Assert.True(sent > 500, $"the walk reached the forms and fields ({sent} requests)");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct().Take(60)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_nul_in_the_public_complaint_api_a_search_or_a_filter_is_refused_with_a_message(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();

        using var complaint = await app.CreateBrowser().PostAsync("/api/public/complaints",
            new StringContent("""{"nama":"Warga\u0000","uraian":"Bantuan belum diterima\u0000","kategori":"bansos","kodeDesa":"33.14.01.2001"}""", Encoding.UTF8, "application/json"));
        using var search = await admin.PostAsync("/api/families/search", new StringContent("""{"query":"Warga\u0000"}""", Encoding.UTF8, "application/json"));
        using var filter = await admin.GetAsync("/Aduan?status=ba%00ru");

        Assert.Equal(HttpStatusCode.BadRequest, complaint.StatusCode);
        Assert.Contains("NUL", await complaint.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, filter.StatusCode);
        Assert.Contains("NUL", await filter.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_post_to_a_handler_the_page_does_not_have_is_refused_not_a_server_error(string provider)
    {
        await using var app = await CreateAsync(provider);
        var anonymous = new Visitor("anonymous", app, signedIn: false);
        await anonymous.StartAsync();

        using var response = await anonymous.SendAsync(anonymous.Post("/Publik/Transparansi?handler=TidakAda", []));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tidak ada di halaman ini", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_forty_digit_amount_is_refused_by_the_rupiah_parser_with_a_message()
    {
        var (value, problem, problemEn) = Rupiah.Parse("1234567890123456789012345678901234567890");

        Assert.Null(value);
        Assert.Contains("100 miliar", problem, StringComparison.Ordinal);
        Assert.Contains("100 billion", problemEn, StringComparison.Ordinal);
        Assert.NotNull(Rupiah.Parse("Rp 99.999.999.999,99 jt").Problem);
    }

    /// <summary>A client that keeps its antiforgery token and, for the administrator, signs in again if a form signed it out.</summary>
    private sealed class Visitor(string name, TuntasWebFactory app, bool signedIn)
    {
        private HttpClient _client = null!;
        private string _token = "";

        public string Name => name;

        public async Task StartAsync()
        {
            if (signedIn)
            {
                // A fuzzed form may have reset the administrator's own password (which ends its sessions): set it back.
                await using var scope = app.Services.CreateAsyncScope();
                await using var db = app.Database.CreateDb();
                var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == AdminUser);
                await scope.ServiceProvider.GetRequiredService<Tuntas.Users.ResetPassword>().RunAsync(admin.Id, AdminPassword, CancellationToken.None);
                await db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Disabled, false));
            }
            _client = signedIn ? await app.SignInAsAdministratorAsync() : app.CreateBrowser();
            var page = await ParseAsync(await _client.GetStringAsync(signedIn ? "/" : "/Masuk"));
            _token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        }

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            var response = await _client.SendAsync(request);
            if (signedIn && response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/Masuk", StringComparison.OrdinalIgnoreCase) == true)
            {
                await StartAsync();
            }
            return response;
        }

        public Task<string?> GetPageAsync(string path) => GetAsync(path);

        private async Task<string?> GetAsync(string path)
        {
            using var response = await _client.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "text/html"
                ? await response.Content.ReadAsStringAsync()
                : null;
        }

        public HttpRequestMessage Post(string url, List<(string Name, byte[] Value)> fields)
        {
            fields.Add(("__RequestVerificationToken", Encoding.ASCII.GetBytes(_token)));
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = UrlEncoded(fields) };
        }
    }

    /// <summary>Every form of the page, once per hostile value in every field, and a POST to a handler the page does not have.</summary>
    private static async Task<List<Func<HttpRequestMessage>>> PageRequestsAsync(Visitor visitor, string path)
    {
        var requests = new List<Func<HttpRequestMessage>>();
        var html = await visitor.GetPageAsync(path);
        if (html is null)
        {
            return requests;
        }
        requests.Add(() => visitor.Post(path + "?handler=TidakAdaDiHalamanIni", []));
        var page = await ParseAsync(html);
        foreach (var form in page.QuerySelectorAll("form"))
        {
            var action = form.GetAttribute("action") is { Length: > 0 } a ? a : path;
            if (action.StartsWith("/Keluar", StringComparison.OrdinalIgnoreCase) || action.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var isPost = string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase);
            var multipart = string.Equals(form.GetAttribute("enctype"), "multipart/form-data", StringComparison.OrdinalIgnoreCase);
            var fields = form.QuerySelectorAll("input[name], select[name], textarea[name], button[name]").ToList();
            var token = fields.FirstOrDefault(f => f.GetAttribute("name") == "__RequestVerificationToken")?.GetAttribute("value");
            foreach (var fuzz in _values)
            {
                var values = new List<(string Name, byte[] Value)>();
                var files = new List<string>();
                foreach (var field in fields)
                {
                    var name = field.GetAttribute("name")!;
                    if (name == "__RequestVerificationToken")
                    {
                        continue;
                    }
                    if (string.Equals(field.GetAttribute("type"), "file", StringComparison.OrdinalIgnoreCase))
                    {
                        files.Add(name);
                        continue;
                    }
                    values.Add((name, fuzz.FormBytes));
                }
                if (!isPost)
                {
                    requests.Add(() => new HttpRequestMessage(HttpMethod.Get, action + (action.Contains('?') ? "&" : "?") + Encode(values)));
                    continue;
                }
                if (token is not null)
                {
                    values.Add(("__RequestVerificationToken", Encoding.ASCII.GetBytes(token)));
                }
                requests.Add(() => new HttpRequestMessage(HttpMethod.Post, action)
                {
                    Content = multipart ? Multipart(values, files, fuzz) : UrlEncoded(values),
                });
            }
        }
        return requests;
    }

    /// <summary>Every method of the endpoint, once per hostile value in every query, form and JSON field and in its string route values.</summary>
    private static List<Func<HttpRequestMessage>> ApiRequests(TuntasWebFactory app, RouteEndpoint endpoint, Dictionary<string, string> routeValues)
    {
        var requests = new List<Func<HttpRequestMessage>>();
        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get];
        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var simple = new List<string>();
        var formFields = new List<string>();
        var files = new List<string>();
        Type? body = null;
        foreach (var parameter in handler?.GetParameters() ?? [])
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (routeNames.Contains(parameter.Name!) || isService.IsService(parameter.ParameterType) || parameter.GetCustomAttribute<FromServicesAttribute>() is not null
                || type == typeof(CancellationToken) || typeof(HttpContext).IsAssignableFrom(type) || type == typeof(System.Security.Claims.ClaimsPrincipal)
                || type == typeof(HttpRequest))
            {
                continue;
            }
            if (typeof(IFormFile).IsAssignableFrom(type) || typeof(IFormFileCollection).IsAssignableFrom(type))
            {
                files.Add(parameter.Name!);
            }
            else if (parameter.GetCustomAttribute<FromFormAttribute>() is not null)
            {
                formFields.Add(parameter.GetCustomAttribute<FromFormAttribute>()!.Name ?? parameter.Name!);
            }
            else if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(decimal) || type == typeof(Guid))
            {
                simple.Add(parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!);
            }
            else if (type.IsClass || type.IsValueType)
            {
                body = type;
            }
        }
        foreach (var method in methods.Where(m => m != HttpMethods.Head && m != HttpMethods.Options))
        {
            foreach (var fuzz in _values)
            {
                var query = Encode([.. simple.Select(name => (name, fuzz.FormBytes))]);
                foreach (var path in new[] { Path(endpoint.RoutePattern, routeValues, null), Path(endpoint.RoutePattern, routeValues, fuzz) }.Distinct())
                {
                    requests.Add(() =>
                    {
                        var request = new HttpRequestMessage(new HttpMethod(method), path + (query.Length > 0 ? "?" + query : ""));
                        if (method != HttpMethods.Get && method != HttpMethods.Delete)
                        {
                            request.Content = files.Count > 0 || formFields.Count > 0
                                ? Multipart([.. formFields.Select(name => (name, fuzz.FormBytes))], files, fuzz)
                                : Json(body, fuzz);
                        }
                        return request;
                    });
                }
            }
        }
        return requests;
    }

    /// <summary>The route with its parameters filled; with <paramref name="fuzz"/>, unconstrained parameters get the hostile value.</summary>
    private static string Path(RoutePattern pattern, Dictionary<string, string> values, Fuzz? fuzz)
    {
        var path = "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            // A NUL in the path is refused by the server itself (Kestrel and the test host), before the app.
            RoutePatternParameterPart parameter when fuzz is not null && fuzz.Name != "nul" && parameter.ParameterPolicies.Count == 0 && !parameter.IsCatchAll => Percent(fuzz.FormBytes),
            RoutePatternParameterPart parameter => values.GetValueOrDefault(parameter.Name) ?? (parameter.IsOptional ? "" : "1"),
            _ => "",
        }))));
        return path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
    }

    /// <summary>A JSON object with every property of the request record set to the hostile value (a number where the property is a number).</summary>
    private static HttpContent Json(Type? type, Fuzz fuzz)
    {
        var json = new MemoryStream();
        json.Write("{"u8);
        var first = true;
        foreach (var property in type?.GetProperties(BindingFlags.Public | BindingFlags.Instance) ?? [])
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var numeric = propertyType.IsPrimitive && propertyType != typeof(bool) || propertyType == typeof(decimal);
            var token = numeric && fuzz.JsonNumber is not null ? fuzz.JsonNumber
                : propertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType) ? "[" + fuzz.JsonString + "]"
                : fuzz.JsonString;
            json.Write(Encoding.Latin1.GetBytes((first ? "" : ",") + JsonSerializer.Serialize(JsonNamingPolicy.CamelCase.ConvertName(property.Name)) + ":"));
            // Latin-1 keeps the invalid UTF-8 bytes of the hostile value as bytes; every other value is ASCII or escaped.
            json.Write(fuzz.Name == "invalid-utf8" ? Encoding.Latin1.GetBytes(token) : Encoding.UTF8.GetBytes(token));
            first = false;
        }
        json.Write("}"u8);
        var content = new ByteArrayContent(json.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static HttpContent Multipart(List<(string Name, byte[] Value)> values, List<string> files, Fuzz fuzz)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in values)
        {
            content.Add(new ByteArrayContent(value), name);
        }
        foreach (var name in files)
        {
            var file = new ByteArrayContent(fuzz.FormBytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, name, "berkas-" + fuzz.Name + ".csv");
        }
        return content;
    }

    private static ByteArrayContent UrlEncoded(List<(string Name, byte[] Value)> values)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(Encode(values)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    private static string Encode(List<(string Name, byte[] Value)> values) =>
        string.Join('&', values.Select(v => Uri.EscapeDataString(v.Name) + "=" + Percent(v.Value)));

    /// <summary>Percent-encodes bytes as they are, so invalid UTF-8 reaches the server as invalid UTF-8.</summary>
    private static string Percent(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    private static string Describe(HttpRequestMessage request)
    {
        var url = request.RequestUri?.OriginalString ?? "";
        return url.Length > 160 ? url[..160] + "…" : url;
    }
}
