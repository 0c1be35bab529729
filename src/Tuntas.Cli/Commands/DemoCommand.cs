using Tuntas.Demo;

namespace Tuntas.Cli.Commands;

/// <summary>
/// <c>tuntas demo --regency 33.14 --families N [--seed S] [--out FILE] [--faults RATE] [--year Y]</c>: a synthetic but
/// realistic regency over its real villages, written to the database (through the real import) or to an import file.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var regency = new Option<string>("--regency") { Description = CliTexts.Both("Option.Regency"), DefaultValueFactory = _ => "33.14" };
        var families = new Option<int>("--families") { Description = CliTexts.Both("Demo.Option.Families"), DefaultValueFactory = _ => 30_000 };
        var seed = new Option<int>("--seed") { Description = CliTexts.Both("Option.Seed"), DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo?>("--out") { Description = CliTexts.Both("Demo.Option.Out") };
        var faults = new Option<double>("--faults") { Description = CliTexts.Both("Option.Faults"), DefaultValueFactory = _ => 0 };
        var year = new Option<int?>("--year") { Description = CliTexts.Both("Option.Year") };
        var command = new Command("demo", CliTexts.Both("Demo.Command.Demo")) { regency, families, seed, output, faults, year };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = new GenerateDemoRegistry.Input(parse.GetValue(regency)!, parse.GetValue(families), parse.GetValue(seed),
                parse.GetValue(year), parse.GetValue(faults));
            var c = CultureInfo.InvariantCulture;
            try
            {
                if (parse.GetValue(output) is { } file)
                {
                    // A file is for importing, often into a demo install: its NIKs and NO_KKs stay out of the demo registry's.
                    var outcome = await GenerateDemoRegistry.WriteFileAsync(input with { SerialBase = GenerateDemoRegistry.FileSerialBase(input.Seed) }, file.FullName, cancellationToken);
                    context.Error.WriteLine(string.Create(c,
                        $"{outcome.RegencyName} {outcome.Year}: {outcome.Families} keluarga, {outcome.Persons} jiwa, {outcome.Villages} desa; " +
                        $"P0 {outcome.AchievedP0:0.00}% (BPS {outcome.TargetP0:0.00}%), GK Rp{outcome.PovertyLine:0}; kesalahan disisipkan {outcome.FaultsInjected} → {file.FullName}"));
                    if (outcome.FaultsInjected > 0)
                    {
                        // Named by the code the import reports (duplicates: by `tuntas duplicates find` after the import).
                        context.Error.WriteLine(string.Join(", ", outcome.FaultsByCode.Select(f => f.Key + " " + f.Value.ToString(c))));
                    }
                    return 0;
                }
                var database = await context.ReadyDatabaseAsync(cancellationToken);
                var seeded = await new SeedDemoRegistry(database, context.Clock, context.Regency).RunAsync(input, null, cancellationToken);
                var report = seeded.Import;
                context.Error.WriteLine(string.Create(c,
                    $"{seeded.Generated.RegencyName} {seeded.Generated.Year}: keluarga +{report.Families.Added} ~{report.Families.Updated} ={report.Families.Unchanged}, " +
                    $"anggota +{report.Persons.Added}; galat {report.ErrorCount}, peringatan {report.WarningCount}."));
                if (report.ExitCode != 0)
                {
                    context.Error.WriteLine(report.Failure ?? CliTexts.Both("Demo.FaultsRejected"));
                }
                return report.ExitCode;
            }
            catch (ArgumentException e)
            {
                context.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }
}
