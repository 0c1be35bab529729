using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Registry;
using Tuntas.Registry.Exports;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas registry export --format opensid|dtks [--village CODE] --out FILE</c> (docs/import-profiles.md, "Back out to
/// OpenSID"): the same use case as the village page's download and <c>GET /api/registry/export</c>. The CLI acts for the
/// operator at the server with regency rights; <c>--user</c> naming an account acts within that account's scope instead
/// (a village operator's export holds only their village), refused when the role may not export or the name is no
/// account (<see cref="CliAccounts"/>). Every export is audited: the file carries full NIKs.
/// </summary>
public static class RegistryCommands
{
    public static Command Create(CliContext context) => new("registry", CliTexts.Both("Registry.Command.Registry")) { Export(context) };

    private static Command Export(CliContext context)
    {
        var format = new Option<string>("--format") { Description = CliTexts.Both("Option.Format"), Required = true };
        format.AcceptOnlyFromAmong([.. RegistryExport.Formats]);
        var village = new Option<string?>("--village")
        {
            Description = CliTexts.Both("Registry.Option.Village"),
        };
        var output = new Option<FileInfo>("--out") { Description = CliTexts.Both("Registry.Option.Out"), Required = true };
        var user = new Option<string?>("--user") { Description = CliTexts.Both("Registry.Option.User") };
        var command = new Command("export", CliTexts.Both("Registry.Command.Export"))
        {
            format, village, output, user,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            // Full NIKs leave with the file: a --user that names no account is refused, never read as the regency.
            var (scope, sensitive, refusal, _, _) = await CliAccounts.ResolveAsync(database, context, parse.GetValue(user), RegistryPermissions.Export,
                role => CliTexts.Problem("Registry.ExportNotAllowed", "user", "EXPORT_NOT_ALLOWED", role), unknownIsRefused: true, cancellationToken);
            if (refusal is not null)
            {
                return Refusals.Print(context, [refusal]);
            }
            var file = parse.GetValue(output)!;
            if (OutFileType(file.Name, parse.GetValue(format), parse.GetValue(village)) is not { } fileType)
            {
                return Refusals.Print(context, [OutFileProblem(file.Name, parse.GetValue(format), parse.GetValue(village))]);
            }
            var (request, problems) = await RegistryExport.CheckAsync(db, parse.GetValue(format), parse.GetValue(village), fileType, scope, sensitive, cancellationToken);
            if (request is null)
            {
                return Refusals.Print(context, problems);
            }
            // Written beside the target under a temporary name, put in place when complete, and recorded; a failed or
            // cancelled export (a database error, a full disk, Ctrl+C) leaves no half file of full NIKs, and a file
            // whose record cannot be written is taken back (UU PDP 27/2022; docs/security.md).
            var partial = Path.Combine(file.DirectoryName ?? ".", $".{file.Name}.{Guid.NewGuid():N}.sebagian");
            RegistryExport.Outcome outcome;
            try
            {
                await using (var stream = File.Create(partial))
                {
                    outcome = await RegistryExport.WriteAsync(request, db, context.Clock, stream, cancellationToken, context.Regency.Value);
                }
                File.Move(partial, file.FullName, overwrite: true);
                try
                {
                    await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Export, "desa", request.Village ?? "wilayah",
                        string.Create(CultureInfo.InvariantCulture,
                            $"ekspor {request.Format}: {outcome.Villages} desa, {outcome.Families} keluarga, {outcome.Persons} orang, NIK lengkap, {file.Name}"), CancellationToken.None);
                }
                catch
                {
                    File.Delete(file.FullName);
                    throw;
                }
            }
            finally
            {
                if (File.Exists(partial))
                {
                    File.Delete(partial);
                }
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome.Villages}\t{outcome.Families}\t{outcome.Persons}\t{file.FullName}"));
            context.Error.WriteLine(CliTexts.Both("Registry.Exported", outcome.Families, outcome.Persons, outcome.Villages, file.FullName));
            if (outcome.UnknownOccupations > 0)
            {
                context.Error.WriteLine(CliTexts.Both("Registry.UnknownOccupations", outcome.UnknownOccupations));
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The file type the name of <c>--out</c> asks for, or null when the name does not fit what is written: OpenSID for
    /// every village is a ZIP (<c>.zip</c> of workbooks, <c>.csv.zip</c> of CSV files), anything else one <c>.xlsx</c> or
    /// <c>.csv</c>. A name that says otherwise would hold a file Excel calls corrupt.
    /// </summary>
    private static string? OutFileType(string name, string? format, string? village)
    {
        var zip = format == RegistryExport.OpenSid && string.IsNullOrWhiteSpace(village);
        var lower = name.ToLowerInvariant();
        return zip
            ? lower.EndsWith(".csv.zip", StringComparison.Ordinal) ? "csv" : lower.EndsWith(".zip", StringComparison.Ordinal) ? "xlsx" : null
            : lower.EndsWith(".csv", StringComparison.Ordinal) ? "csv" : lower.EndsWith(".xlsx", StringComparison.Ordinal) ? "xlsx" : null;
    }

    private static Problem OutFileProblem(string name, string? format, string? village) =>
        format == RegistryExport.OpenSid && string.IsNullOrWhiteSpace(village)
            ? CliTexts.Problem("Registry.OutZip", "out", "EXPORT_OUT_ZIP", name)
            : CliTexts.Problem("Registry.OutFile", "out", "EXPORT_OUT_FILE", name);
}
