using System.Net;
using Npgsql;
using Tuntas.Data;
using Tuntas.Testing;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Clean failures (OWASP ASVS 7.4.1, 14.4): every answer carries a Content-Security-Policy without inline script; in a
/// database outage /health says 503 to a signed-in user too (not the account check's 500), and a back-office page
/// shows an error page with a reference in both languages, not an empty 500.
/// </summary>
public sealed class FailureTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Pages_and_the_api_carry_a_content_security_policy_without_inline_script(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();

        foreach (var url in new[] { "/", "/Publik/Transparansi", "/api/programs", "/Masuk" })
        {
            using var response = await (url == "/Masuk" ? app.CreateBrowser() : admin).GetAsync(url);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void No_razor_page_holds_an_inline_script_or_event_handler()
    {
        var pages = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Tuntas.Web/Pages"));
        var offenders = Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, i)))
            .Where(x => System.Text.RegularExpressions.Regex.IsMatch(x.line, @"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[""']|javascript:|style\s*=\s*[""']", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Select(x => $"{Path.GetRelativePath(pages, x.file)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(Directory.Exists(pages), pages);
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task In_a_database_outage_health_is_503_for_everyone_and_pages_show_an_error_page(string provider)
    {
        await using var app = await CreateAsync(provider);
        var admin = await app.SignInAsAdministratorAsync();
        var anonymous = app.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health")).StatusCode);

        await using (await OutageAsync(app.Database))
        {
            using var signedInHealth = await admin.GetAsync("/health");
            using var anonymousHealth = await anonymous.GetAsync("/health");
            using var page = await admin.GetAsync("/Program");
            var body = await page.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, signedInHealth.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousHealth.StatusCode);
            Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
            Assert.Contains("Terjadi kesalahan", body, StringComparison.Ordinal);
            Assert.Contains("Reference", body, StringComparison.Ordinal);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// Takes the database away until disposed: SQLite's file is moved aside and a folder put in its place (it cannot be
    /// opened); PostgreSQL's database refuses connections and its open ones are ended.
    /// </summary>
    private static async Task<IAsyncDisposable> OutageAsync(TuntasDatabase database)
    {
        if (database.IsSqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            File.Move(file, file + ".weg");
            Directory.CreateDirectory(file);
            return new Restore(() =>
            {
                Directory.Delete(file);
                // A background job that opened the database in the moment between the two steps made SQLite create an
                // empty file in its place (CI saw "already exists" once, under load): that empty file goes, the real one
                // comes back, and no pooled connection keeps the empty one open.
                if (File.Exists(file))
                {
                    File.Delete(file);
                }
                File.Move(file + ".weg", file, overwrite: true);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                return Task.CompletedTask;
            });
        }
        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.PostgresServer) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(server, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
        NpgsqlConnection.ClearAllPools();
        return new Restore(() => ExecuteAsync(server, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
