using System.Net;
using Tuntas.Web.Tests;

namespace Tuntas.Security.Tests;

/// <summary>
/// A browser whose cookies the test holds in its hand, so that a copy of them can be replayed by another client — what a
/// thief of the cookie does. Sign-in and sign-out go through the real forms with their antiforgery tokens.
/// </summary>
public sealed class CookieJar(TuntasWebFactory app)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string Header => string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value));

    public HttpClient Client()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (_cookies.Count > 0)
        {
            client.DefaultRequestHeaders.Add("Cookie", Header);
        }
        return client;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", Header);
        }
        var response = await Client().SendAsync(request);
        Keep(response);
        return response;
    }

    public async Task<HttpResponseMessage> GetAsync(string url) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>GETs the form, then POSTs the fields with its antiforgery token (and the cookies so far).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields)
    {
        var page = await TuntasWebFactory.ParseAsync(await (await GetAsync(url)).Content.ReadAsStringAsync());
        fields["__RequestVerificationToken"] = page.QuerySelector("form input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("no antiforgery token on " + url);
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });
    }

    public async Task<CookieJar> SignInAsync(string userName, string password)
    {
        var response = await PostFormAsync("/Masuk", new() { ["UserName"] = userName, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("sign-in failed for " + userName);
        }
        return this;
    }

    public CookieJar Copy()
    {
        var copy = new CookieJar(app);
        foreach (var (name, value) in _cookies)
        {
            copy._cookies[name] = value;
        }
        return copy;
    }

    private void Keep(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }
        foreach (var header in values)
        {
            var pair = header.Split(';', 2)[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = (pair[..eq], pair[(eq + 1)..]);
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }
}
