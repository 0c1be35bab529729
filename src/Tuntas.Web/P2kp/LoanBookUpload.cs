using Tuntas.P2kp.LoanBook;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.P2kp;

/// <summary>
/// A loan book uploaded from the back office or the API (.xlsx or .zip of CSV files): checked (<see cref="UploadCheck"/>),
/// saved to a temporary file, imported with the caller's scope (<see cref="ImportLoanBook"/>), deleted again. Shared by
/// the page and the endpoint.
/// </summary>
public static class LoanBookUpload
{
    public static async Task<LoanBookReport> ImportAsync(IFormFile? file, bool dryRun, ClaimsPrincipal user, ImportLoanBook import, CancellationToken cancellationToken)
    {
        var kind = UploadKind.LoanBook;
        if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
        {
            return Refused(file, dryRun, refusal);
        }
        var path = UploadCheck.TemporaryPath("tuntas-upk-", file!.FileName);
        try
        {
            if (await UploadCheck.CopyAsync(file, kind, path, cancellationToken) is null)
            {
                return Refused(file, dryRun, UploadCheck.TooLarge(kind));
            }
            var scope = user.AccessScope();
            return await import.RunAsync(new ImportLoanBook.Input(path, UploadCheck.SafeFileName(file.FileName), dryRun, scope.IsRegencyWide ? null : scope), cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static LoanBookReport Refused(IFormFile? file, bool dryRun, Problem refusal) =>
        new() { File = file is null ? "" : UploadCheck.SafeFileName(file.FileName), DryRun = dryRun, Failure = $"[{refusal.Code}] {refusal.Message} / {refusal.MessageEn}" };
}
