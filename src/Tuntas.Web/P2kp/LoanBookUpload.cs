using System.Security.Claims;
using Tuntas.P2kp.LoanBook;
using Tuntas.Web.Security;

namespace Tuntas.Web.P2kp;

/// <summary>
/// A loan book uploaded from the back office or the API (.xlsx or .zip of CSV files): saved to a temporary file, imported
/// with the caller's scope (<see cref="ImportLoanBook"/>), deleted again. Shared by the page and the endpoint.
/// </summary>
public static class LoanBookUpload
{
    public static async Task<LoanBookReport> ImportAsync(IFormFile file, bool dryRun, ClaimsPrincipal user, ImportLoanBook import, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".xlsx" or ".zip"))
        {
            return new LoanBookReport { File = file.FileName, DryRun = dryRun, Failure = "Unggah .xlsx atau .zip berisi CSV / upload an .xlsx or a .zip of CSV files" };
        }
        var path = Path.Combine(Path.GetTempPath(), "tuntas-upk-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            await using (var target = File.Create(path))
            {
                await file.CopyToAsync(target, cancellationToken);
            }
            var scope = user.AccessScope();
            return await import.RunAsync(new ImportLoanBook.Input(path, Path.GetFileName(file.FileName), dryRun, scope.IsRegencyWide ? null : scope), cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
