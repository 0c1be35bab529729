using Microsoft.Extensions.Configuration;
using Tuntas.Data;

namespace Tuntas.Cli.Tests;

/// <summary>Runs the `tuntas` command in-process against a test database, capturing stdout and stderr.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> RunAsync(TuntasDatabase database, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:Tuntas"] = database.ConnectionString,
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, configuration);
        // An unhandled exception is written to the invocation's error writer, so a failing test shows it.
        var code = await TuntasCommand.Create(context).Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return new Result(code, output.ToString(), error.ToString());
    }
}
