using Microsoft.Extensions.Configuration;
using Tuntas.Audit;
using Tuntas.Data;

namespace Tuntas.Core.Tests.Audit;

public sealed class AuditKeyTests
{
    /// <summary>Processes that start together on a fresh install (the web app and the CLI, or parallel tests) create the key
    /// once between them and all read that one whole: one of them read the file while another was writing it, found it
    /// empty, and refused it as too short (a CLI test failed that way on a fresh clone).</summary>
    [Fact]
    public void A_key_created_by_many_at_once_is_one_key_read_whole_by_all()
    {
        var directory = Directory.CreateTempSubdirectory("tuntas-key-").FullName;
        for (var round = 0; round < 100; round++)
        {
            var path = Path.Combine(directory, round.ToString(System.Globalization.CultureInfo.InvariantCulture), "audit.key");
            using var start = new Barrier(8);
            var keys = new string[8];
            var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
            var readers = Enumerable.Range(0, 8).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    keys[i] = AuditKey.FromFile(path).KeyId;
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            })).ToList();
            readers.ForEach(t => t.Start());
            readers.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.Single(keys.Distinct());
            Assert.Equal(["audit.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The web app (content root: its project folder) and a CLI started from another folder, with the same
    /// SQLite connection string, sign with one key: the key beside the database file, not under the folder each was
    /// started from (a user's test found the CLI writing a second key, and `audit verify` reporting the chain broken).</summary>
    [Fact]
    public void The_web_app_and_a_cli_started_elsewhere_find_the_same_key_beside_the_database_file()
    {
        var folder = Directory.CreateTempSubdirectory("tuntas-db-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Tuntas"] = "Data Source=" + Path.Combine(folder, "regency.db"),
        }).Build();
        var web = Directory.CreateTempSubdirectory("tuntas-web-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("tuntas-cwd-").FullName;

        var webKey = AuditKey.DefaultFile(configuration, web, TuntasDatabase.FromConfiguration(configuration, web));
        var cliKey = AuditKey.DefaultFile(configuration, elsewhere, TuntasDatabase.FromConfiguration(configuration, elsewhere));

        Assert.Equal(Path.Combine(folder, "audit.key"), webKey);
        Assert.Equal(webKey, cliKey);
        Assert.Equal(AuditKey.FromFile(webKey).KeyId, AuditKey.FromFile(cliKey).KeyId);

        // The same file named as a SQLite URI: the same key, not one under a folder "file:" of the working directory.
        foreach (var uri in new[] { "file:" + Path.Combine(folder, "regency.db"), "file://" + Path.Combine(folder, "regency.db") + "?cache=shared" })
        {
            var asUri = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["ConnectionStrings:Tuntas"] = "Data Source=" + uri,
            }).Build();
            Assert.Equal(webKey, AuditKey.DefaultFile(asUri, elsewhere, TuntasDatabase.FromConfiguration(asUri, elsewhere)));
        }
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "file:")));

        // The default database keeps its key where it always was: App_Data/audit.key beside App_Data/tuntas.db.
        var defaults = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataRoot"] = folder,
        }).Build();
        Assert.Equal(Path.Combine(folder, "App_Data", "audit.key"), AuditKey.DefaultFile(defaults, web, TuntasDatabase.FromConfiguration(defaults, web)));
    }
}
