using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tuntas.Bench;

/// <summary>One finished child process: exit code, output, wall time and (under <c>/usr/bin/time -v</c>) peak RSS.</summary>
public sealed record ChildResult(int ExitCode, string StandardOutput, string StandardError, double WallSeconds, long? MaxRssKb, double? UserSeconds, double? SystemSeconds);

public static partial class ChildProcess
{
    public const string TimeBinary = "/usr/bin/time";

    /// <summary>Runs <paramref name="file"/> under <c>/usr/bin/time -v</c> (when present) and waits for it.</summary>
    public static async Task<ChildResult> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, string? standardInput, CancellationToken cancellationToken)
    {
        var timed = File.Exists(TimeBinary);
        var start = new ProcessStartInfo(timed ? TimeBinary : file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        if (timed)
        {
            start.ArgumentList.Add("-v");
            start.ArgumentList.Add(file);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(cancellationToken);
        stopwatch.Stop();
        var error = await stderr;
        return new ChildResult(process.ExitCode, await stdout, error, stopwatch.Elapsed.TotalSeconds,
            Match(MaxRss(), error) is { } kb ? long.Parse(kb, CultureInfo.InvariantCulture) : null,
            Match(UserTime(), error) is { } u ? double.Parse(u, CultureInfo.InvariantCulture) : null,
            Match(SystemTime(), error) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Runs a short helper command (no timing) and returns its standard output, trimmed; null when it fails.</summary>
    public static string? Capture(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? Match(Regex regex, string text) => regex.Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    [GeneratedRegex(@"User time \(seconds\): ([\d.]+)")]
    private static partial Regex UserTime();

    [GeneratedRegex(@"System time \(seconds\): ([\d.]+)")]
    private static partial Regex SystemTime();
}
