using Microsoft.Extensions.Options;

namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// Demo mode: a small generated UPK loan book (three UPKs in the regency's first villages, 60 loans each) imported
/// through the real import, so the P2KP pages are not empty. Never on real data (demo mode only).
/// </summary>
/// <param name="regency">Its time zone says what "today" is, the day the generated book is as of: WIB's morning is
/// still yesterday in UTC.</param>
public sealed class SeedDemoLoanBook(Data.TuntasDatabase database, TimeProvider clock, IOptions<Regions.RegencyOptions>? regency = null)
{
    public async Task<LoanBookReport> RunAsync(IReadOnlyList<string> villages, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tuntas-demo-upk-" + Guid.NewGuid().ToString("N"));
        try
        {
            var today = Regions.RegencyOptions.Of(regency).Today(clock);
            GenerateLoanBook.WriteCsvFolder(folder, new GenerateLoanBook.Options(Math.Min(3, villages.Count), 60, villages, today, Seed: 17));
            return await new ImportLoanBook(database, clock, regency).RunAsync(new ImportLoanBook.Input(folder, "demo", DryRun: false), cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
