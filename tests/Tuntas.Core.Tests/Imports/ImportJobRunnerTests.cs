using Tuntas.Imports;

namespace Tuntas.Core.Tests.Imports;

/// <summary>Which CLI import jobs count as abandoned: only those of this machine whose process is gone or was replaced.</summary>
public sealed class ImportJobRunnerTests
{
    [Fact]
    public void This_process_is_alive_a_missing_or_reused_pid_is_gone_and_other_machines_are_not_judged()
    {
        Assert.False(ImportJobs.IsGone(ImportJobs.ThisProcess()));
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        // The same pid, started at another time: the pid was reused by another process.
        Assert.True(ImportJobs.IsGone(ImportJobs.Runner(Environment.MachineName, self.Id, self.StartTime.ToUniversalTime().AddMinutes(-5))));
        Assert.True(ImportJobs.IsGone(ImportJobs.Runner(Environment.MachineName, int.MaxValue - 7, DateTime.UtcNow)));
        Assert.False(ImportJobs.IsGone(ImportJobs.Runner("server-lain", int.MaxValue - 7, DateTime.UtcNow)));
        Assert.False(ImportJobs.IsGone("web"));
    }
}
