using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Server-side sessions (OWASP ASVS 3.3.1, 3.3.3): the probe replayed a copied cookie after sign-out and after a password
/// reset and was still in. Now the cookie names a session the server can end.
/// </summary>
public sealed class SessionTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_copied_cookie_stops_working_after_sign_out(string provider)
    {
        await using var app = await CreateAsync(provider);
        var browser = await new CookieJar(app).SignInAsync(OperatorUser, OperatorPassword);
        var copy = browser.Copy().Client();
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/dashboard/33.14")).StatusCode);

        var signedOut = await browser.PostFormAsync("/Keluar", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/dashboard/33.14")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_password_reset_or_a_disabled_account_ends_every_session_of_the_user(string provider)
    {
        await using var app = await CreateAsync(provider);
        var first = await app.SignInAsVillageOperatorAsync();
        var second = await app.SignInAsVillageOperatorAsync();
        var admin = await app.SignInAsAdministratorAsync();
        long operatorId;
        await using (var db = app.Database.CreateDb())
        {
            operatorId = (await db.Users.SingleAsync(u => u.UserName == OperatorUser)).Id;
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var reset = await scope.ServiceProvider.GetRequiredService<ResetPassword>().RunAsync(operatorId, null, CancellationToken.None);
            Assert.NotNull(reset.Password);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/dashboard/33.14")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/dashboard/33.14")).StatusCode);
        // Other users keep theirs.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/dashboard/33.14")).StatusCode);

        await using (var db = app.Database.CreateDb())
        {
            var sessions = await db.UserSessions.AsNoTracking().Where(s => s.UserId == operatorId).ToListAsync();
            Assert.Equal(2, sessions.Count);
            Assert.All(sessions, s => Assert.Equal(Sessions.PasswordReset, s.EndedReason));
            Assert.DoesNotContain(sessions, s => s.IdHash.Length != 64);
        }
    }
}
