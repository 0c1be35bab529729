using Tuntas.Programs;

namespace Tuntas.Web.Uploads;

/// <summary>
/// A recipient list uploaded from the program page or the API: checked (<see cref="UploadCheck"/>), written under a
/// random temporary name, matched synchronously with <see cref="ImportRecipients"/> (lists are small) and always deleted.
/// </summary>
public static class RecipientListUpload
{
    /// <summary>The match report, or why the upload is refused.</summary>
    public sealed record Outcome(RecipientMatchReport? Report, Problem? Refusal);

    /// <param name="scope">The uploader's resolved access scope: recipients outside it are neither named nor enrolled.</param>
    public static async Task<Outcome> MatchAsync(IFormFile? file, string programCode, bool dryRun, string userName, Access.AccessScope scope, ImportRecipients import,
        CancellationToken cancellationToken)
    {
        var kind = UploadKind.RecipientList;
        if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
        {
            return new Outcome(null, refusal);
        }
        var path = UploadCheck.TemporaryPath("tuntas-penerima-", file!.FileName);
        try
        {
            if (await UploadCheck.CopyAsync(file, kind, path, cancellationToken) is null)
            {
                return new Outcome(null, UploadCheck.TooLarge(kind));
            }
            var report = await import.RunAsync(new ImportRecipients.Input(programCode, path, UploadCheck.SafeFileName(file.FileName), dryRun, userName, scope), cancellationToken);
            return new Outcome(report, null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
