using Microsoft.Extensions.Options;
using Tuntas.Imports;
using Tuntas.Regions;

namespace Tuntas.Demo;

/// <summary>
/// Puts a demo regency into the database: generates the import file (<see cref="GenerateDemoRegistry"/>) and loads it
/// through the real import (<see cref="ImportFamilies"/>), so demo data passes exactly the validation and history a
/// regency's own file would. Used by the first run of the web app in demo mode and by <c>tuntas demo</c> without --out.
/// </summary>
/// <param name="regency">Its time zone says what "today" is for the import and which year the demo budgets and
/// payments are for: on 1 January before 07:00 WIB, UTC is still in last year.</param>
public sealed class SeedDemoRegistry(TuntasDatabase database, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Outcome(GenerateDemoRegistry.Outcome Generated, ImportReport Import);

    public async Task<Outcome> RunAsync(GenerateDemoRegistry.Input input, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tuntas-demo-{input.RegencyCode}-{input.Seed}-{Guid.NewGuid():N}.csv");
        try
        {
            var generated = await GenerateDemoRegistry.WriteFileAsync(input, file, cancellationToken);
            var name = $"demo-{input.RegencyCode}-{input.Families}-seed{input.Seed}.csv";
            var importInput = new ImportFamilies.Input(file, name, DryRun: false, ChangedBy: "demo");
            var jobId = await ImportJobs.StartAsync(database, importInput, clock, cancellationToken);
            var report = await new ImportFamilies(database, clock, regency).RunAsync(importInput with { JobId = jobId }, progress, cancellationToken);
            await ImportJobs.FinishAsync(database, jobId, report, clock, CancellationToken.None);
            if (report.Committed)
            {
                // Demo recipients for the programs in the catalogue (none when the catalogue is empty).
                await new Programs.SeedDemoEnrollments(database, clock).RunAsync(input.Seed, RegencyOptions.Of(regency).Today(clock).Year, cancellationToken);
            }
            return new Outcome(generated, report);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
