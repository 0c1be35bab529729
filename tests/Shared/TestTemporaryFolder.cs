using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Tuntas.Testing;

/// <summary>
/// Every test process keeps the files it writes (the CSV and XLSX builders' files, SQLite databases, uploads, exports,
/// the CLI's and the apps' own temporary files) in a folder of its own under the system's temporary folder, deleted
/// when the process ends. A folder left behind by a test process that was killed is deleted by the next one. Tests
/// leave their files for a failing assertion to be read; without this, a machine's runs left thousands of files and
/// gigabytes in <c>/tmp</c>.
/// </summary>
/// <remarks>
/// <see cref="Path.GetTempPath"/> reads <c>TMPDIR</c> on every call, and child processes (the CLI, MailDev) inherit it.
/// A test assembly that references another (the security tests reference the web tests) runs both initializers: the
/// first one sets the folder for the process.
/// </remarks>
internal static class TestTemporaryFolder
{
    private const string Prefix = "tuntas-tests-";
    private const string OwnerVariable = "TUNTAS_TEST_TEMP_OWNER";

    [ModuleInitializer]
    internal static void UseOwnFolder()
    {
        var process = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Environment.GetEnvironmentVariable(OwnerVariable) == process)
        {
            return;
        }
        var system = Path.GetTempPath();
        DeleteAbandoned(system);
        var folder = Path.Combine(system, $"{Prefix}{process}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        Environment.SetEnvironmentVariable("TMPDIR", folder);
        Environment.SetEnvironmentVariable(OwnerVariable, process);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
    }

    /// <summary>The folders of test processes that are no longer running (killed, or a crash of the test host).</summary>
    private static void DeleteAbandoned(string system)
    {
        foreach (var folder in Directory.EnumerateDirectories(system, Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written by a thread of the ending process: the next test process deletes the folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
