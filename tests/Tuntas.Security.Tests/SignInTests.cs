using System.Net;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Tuntas.Audit;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Sign-in abuse (OWASP ASVS 2.2.1, 2.7): the probe slowed the app with 12 attempts a second and wrote an audit line for
/// each, locked any account (admin included) with five requests, and told existing accounts apart by the lockout's
/// quick answer. Now a client is throttled with the real wait, nothing is locked, and administrators and coordinators
/// pass a second step with an authenticator app.
/// </summary>
public sealed class SignInTests
{
    private static readonly Dictionary<string, string> _productDefaults = new()
    {
        ["Security:SignIn:ClientAttemptsPerMinute"] = SignInThrottle.Options.Default.ClientAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Security:TwoFactorRoles"] = string.Join(',', SecondFactor.DefaultRequiredRoles),
    };

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_over_its_limit_gets_429_with_the_real_wait_and_no_audit_line_per_attempt(string provider)
    {
        await using var app = await CreateAsync(provider, _productDefaults);
        var limit = SignInThrottle.Options.Default.ClientAttemptsPerMinute;
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < limit + 15; i++)
        {
            last = await new CookieJar(app).PostFormAsync("/Masuk", new() { ["UserName"] = "tebak" + i, ["Password"] = "salah-salah-salah" });
            statuses.Add(last.StatusCode);
        }
        Assert.Equal(limit, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var retryAfter = int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains(retryAfter + " detik", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = app.Database.CreateDb();
        Assert.Equal(limit, await db.AuditLog.CountAsync(e => e.Action == AuditActions.SignInFailed));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_administrator_enrolls_an_authenticator_then_signs_in_with_a_code_that_works_once(string provider)
    {
        await using var app = await CreateAsync(provider, _productDefaults);
        var browser = new CookieJar(app);
        var first = await browser.PostFormAsync("/Masuk", new() { ["UserName"] = AdminUser, ["Password"] = AdminPassword });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/Masuk/Kode", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // Not signed in yet: the password alone opens nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/dashboard/33.14")).StatusCode);

        var enrollment = await ParseAsync(await (await browser.GetAsync("/Masuk/Kode")).Content.ReadAsStringAsync());
        var secret = enrollment.QuerySelector("#kunci-totp")!.TextContent.Trim();
        Assert.StartsWith("otpauth://totp/", enrollment.QuerySelector("#uri-totp")!.GetAttribute("href"), StringComparison.Ordinal);
        var wrong = await browser.PostFormAsync("/Masuk/Kode", new() { ["Code"] = "000000" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var code = new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);
        var signedIn = await browser.PostFormAsync("/Masuk/Kode", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/dashboard/33.14")).StatusCode);

        // The same code again, in a new browser that passed the password: refused (a code is good once).
        var replay = new CookieJar(app);
        await replay.PostFormAsync("/Masuk", new() { ["UserName"] = AdminUser, ["Password"] = AdminPassword });
        var refused = await replay.PostFormAsync("/Masuk/Kode", new() { ["Code"] = code });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/dashboard/33.14")).StatusCode);

        await using var db = app.Database.CreateDb();
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == AdminUser);
        Assert.True(admin.HasTwoFactor);
        Assert.Contains(await db.AuditLog.AsNoTracking().Where(e => e.Actor == AdminUser).Select(e => e.Action).ToListAsync(), a => a == AuditActions.SignInFailed);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_operator_signs_in_with_the_password_alone(string provider)
    {
        await using var app = await CreateAsync(provider, _productDefaults);
        var response = await new CookieJar(app).PostFormAsync("/Masuk", new() { ["UserName"] = OperatorUser, ["Password"] = OperatorPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public void Common_breached_and_guessable_passwords_are_refused_and_a_long_phrase_is_not()
    {
        foreach (var weak in new[] { "password123456", "Bismillah2026!", "sayangkamu123", "operator.keden1", "aaaaaaaaaaaaaaa", "abcdefghijklmn", "123456789012" })
        {
            Assert.NotNull(PasswordPolicy.Check(weak, "operator.keden"));
        }
        Assert.Equal("PASSWORD_SHORT", PasswordPolicy.Check("kopi-tubruk", null)?.Code);
        Assert.Null(PasswordPolicy.Check("kopi tubruk di pasar sragen", "operator.keden"));
    }
}
