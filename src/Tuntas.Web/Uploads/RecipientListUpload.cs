using System.Security.Cryptography;
using Tuntas.Programs;

namespace Tuntas.Web.Uploads;

/// <summary>
/// A recipient list uploaded from the program page or the API: checked (<see cref="UploadCheck"/>), written under a
/// random temporary name, matched synchronously with <see cref="ImportRecipients"/> (lists are small) and deleted. The
/// back office keeps the file of a match-only run without errors for its uploader's "enroll this list"
/// (<see cref="EnrollKeptAsync"/>): the very file whose report was read is committed, without a second upload and
/// without the risk of choosing another file the second time.
/// </summary>
public static class RecipientListUpload
{
    /// <summary>The match report, or why the upload is refused; <paramref name="Kept"/> is the token of the file kept for
    /// <see cref="EnrollKeptAsync"/>, when it was kept.</summary>
    public sealed record Outcome(RecipientMatchReport? Report, Problem? Refusal, string? Kept = null);

    /// <summary>How long a checked list waits for its uploader's "enroll": as long as a registry file's preview does.</summary>
    public static readonly TimeSpan KeptLifetime = Imports.ImportUploads.PreviewLifetime;

    private const string KeptPrefix = "tuntas-penerima-diperiksa-";

    /// <param name="scope">The uploader's resolved access scope: recipients outside it are neither named nor enrolled.</param>
    /// <param name="keep">Keep the file of a match-only run without errors for <see cref="EnrollKeptAsync"/> (the back
    /// office; an API client sends the file again with dryRun=false).</param>
    public static async Task<Outcome> MatchAsync(IFormFile? file, string programCode, bool dryRun, string userName, Access.AccessScope scope, ImportRecipients import,
        CancellationToken cancellationToken, bool keep = false)
    {
        var kind = UploadKind.RecipientList;
        if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
        {
            return new Outcome(null, refusal);
        }
        DeleteOldKept(DateTime.UtcNow);
        var path = UploadCheck.TemporaryPath("tuntas-penerima-", file!.FileName);
        try
        {
            if (await UploadCheck.CopyAsync(file, kind, path, cancellationToken) is null)
            {
                return new Outcome(null, UploadCheck.TooLarge(kind));
            }
            var name = UploadCheck.SafeFileName(file.FileName);
            var report = await import.RunAsync(new ImportRecipients.Input(programCode, path, name, dryRun, userName, scope), cancellationToken);
            return new Outcome(report, null, keep && dryRun && report is { Errors: 0, Failure: null } ? Keep(path, programCode, name, userName) : null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Enrolls the list the same user matched (<see cref="MatchAsync"/> with keep) for the same program, matched again
    /// against the registry as it is now, and deletes it: a token is used once. Refused (<c>UPLOAD_TAKEN</c>) when the
    /// token names no kept file of this user and program — another user's token, a used or an expired one.
    /// </summary>
    public static async Task<Outcome> EnrollKeptAsync(string? token, string programCode, string userName, Access.AccessScope scope, ImportRecipients import,
        CancellationToken cancellationToken)
    {
        DeleteOldKept(DateTime.UtcNow);
        if (KeptPath(token, programCode, userName) is not { } path)
        {
            return new Outcome(null, new Problem("file", "UPLOAD_TAKEN",
                "Berkas yang diperiksa tidak ada lagi (sudah didaftarkan, kedaluwarsa, atau milik pengguna lain). Unggah lagi.",
                "The checked file is no longer there (already enrolled, expired, or another user's). Upload it again."));
        }
        var name = File.ReadAllText(path + ".nama");
        try
        {
            var report = await import.RunAsync(new ImportRecipients.Input(programCode, path, name, DryRun: false, userName, scope), cancellationToken);
            return new Outcome(report, null);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".nama");
        }
    }

    /// <summary>Copies the checked file under its uploader's mark, the program and a fresh token, with its name beside it.</summary>
    private static string Keep(string path, string programCode, string name, string userName)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var kept = KeptName(token, programCode, userName) + Path.GetExtension(path);
        File.Copy(path, kept);
        File.WriteAllText(kept + ".nama", name);
        return token;
    }

    /// <summary>The kept file of this token, user and program, or null. The token must be what <see cref="Keep"/> made
    /// (32 hex digits), so that nothing a client sends becomes part of a path.</summary>
    private static string? KeptPath(string? token, string programCode, string userName)
    {
        if (token is not { Length: 32 } || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var stem = KeptName(token, programCode, userName);
        return new[] { ".csv", ".xlsx" }.Select(extension => stem + extension).FirstOrDefault(p => File.Exists(p) && File.Exists(p + ".nama"));
    }

    /// <summary>The program is in the name (hashed with it, as codes are the catalogue's): a list checked for PKH is not
    /// enrolled into BPNT by a form edited in the browser.</summary>
    private static string KeptName(string token, string programCode, string userName) =>
        Path.Combine(Path.GetTempPath(), KeptPrefix + UploadCheck.OwnerMark(userName)
            + UploadCheck.OwnerMark("program:" + programCode.Trim().ToUpperInvariant()) + token);

    private static void DeleteOldKept(DateTime utcNow)
    {
        foreach (var old in Directory.EnumerateFiles(Path.GetTempPath(), KeptPrefix + "*").Where(f => File.GetLastWriteTimeUtc(f) < utcNow - KeptLifetime))
        {
            try
            {
                File.Delete(old);
            }
            catch (IOException)
            {
                // Another request deleted or is using it: the next one tries again.
            }
        }
    }
}
