using Tuntas.Audit;

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
}
