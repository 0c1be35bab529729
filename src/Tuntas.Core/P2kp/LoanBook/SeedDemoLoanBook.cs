namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// Demo mode: a small generated UPK loan book (three UPKs in the regency's first villages, 60 loans each) imported
/// through the real import, so the P2KP pages are not empty. Never on real data (demo mode only).
/// </summary>
public sealed class SeedDemoLoanBook(Data.TuntasDatabase database, TimeProvider clock)
{
    public async Task<LoanBookReport> RunAsync(IReadOnlyList<string> villages, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "tuntas-demo-upk-" + Guid.NewGuid().ToString("N"));
        try
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            GenerateLoanBook.WriteCsvFolder(folder, new GenerateLoanBook.Options(Math.Min(3, villages.Count), 60, villages, today, Seed: 17));
            return await new ImportLoanBook(database, clock).RunAsync(new ImportLoanBook.Input(folder, "demo", DryRun: false), cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
