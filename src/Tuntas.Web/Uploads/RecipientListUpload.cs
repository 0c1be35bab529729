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

    /// <param name="scope">The uploader's resolved access scope: recipients outside it are neither named nor enrolled.</param>
    /// <param name="period">The month of rows that pay without a PERIODE (<see cref="ImportRecipients.Input.Period"/>); kept
    /// with the file, so that "enroll this list" writes the payments the match showed.</param>
    /// <param name="keepIn">Keep the file of a match-only run without errors for <see cref="EnrollKeptAsync"/> in this
    /// upload folder (the back office; an API client sends the file again with dryRun=false); null keeps nothing.</param>
    /// <param name="gate">The web app's bound on files read at once (<see cref="FileReadGate"/>).</param>
    public static async Task<Outcome> MatchAsync(IFormFile? file, string programCode, bool dryRun, string? period, string userName, Access.AccessScope scope,
        ImportRecipients import, FileReadGate gate, CancellationToken cancellationToken, Imports.UploadOptions? keepIn = null)
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
            var name = UploadCheck.SafeFileName(file.FileName);
            period = string.IsNullOrWhiteSpace(period) ? null : period.Trim();
            var report = await gate.ReadAsync(() => import.RunAsync(new ImportRecipients.Input(programCode, path, name, dryRun, userName, scope, Period: period),
                cancellationToken), cancellationToken);
            if (report is null)
            {
                return new Outcome(null, FileReadGate.Busy);
            }
            return new Outcome(report, null, keepIn is not null && dryRun && report is { Errors: 0, Failure: null }
                ? Keep(keepIn.Folder, path, programCode, name, report.Period, userName) : null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Enrolls the list the same user matched (<see cref="MatchAsync"/> with keepIn) for the same program within
    /// <see cref="Imports.ImportUploads.PreviewLifetime"/>, matched again against the registry as it is now. The file is
    /// taken by renaming it before anything is read, so that of two posts of one token only one finds it, and deleted
    /// after. Refused (<c>UPLOAD_TAKEN</c>) when the token names no kept file of this user and program: another user's
    /// token, a used or an expired one.
    /// </summary>
    public static async Task<Outcome> EnrollKeptAsync(string? token, string programCode, string userName, Access.AccessScope scope, ImportRecipients import,
        FileReadGate gate, Imports.UploadOptions uploads, TimeProvider clock, CancellationToken cancellationToken)
    {
        var taken = KeptPath(uploads.Folder, token, programCode, userName, clock) is { } path ? Take(path) : null;
        if (taken is null)
        {
            return new Outcome(null, new Problem("file", "UPLOAD_TAKEN",
                "Berkas yang diperiksa tidak ada lagi (sudah didaftarkan, kedaluwarsa, atau milik pengguna lain). Unggah lagi.",
                "The checked file is no longer there (already enrolled, expired, or another user's). Upload it again."));
        }
        var (file, nameFile) = taken.Value;
        try
        {
            // The file's name, and on a second line the period it was matched with.
            var kept = File.Exists(nameFile) ? (await File.ReadAllTextAsync(nameFile, cancellationToken)).Split('\n') : [Path.GetFileName(file)];
            var report = await gate.ReadAsync(() => import.RunAsync(new ImportRecipients.Input(programCode, file, kept[0], DryRun: false, userName, scope,
                Period: kept.Length > 1 && kept[1].Length > 0 ? kept[1] : null), cancellationToken), cancellationToken, Timeout.InfiniteTimeSpan);
            return new Outcome(report!, null);
        }
        finally
        {
            File.Delete(file);
            File.Delete(nameFile);
        }
    }

    /// <summary>Copies the checked file into the upload folder as a preview of its uploader (swept with the registry's
    /// previews, <see cref="Imports.ImportUploads.DeleteOldPreviews"/>), under the program and a fresh token, with its
    /// name and the period it was matched with beside it. Null, and no button, when it cannot be kept (a full disk): the match shown stays valid.</summary>
    private static string? Keep(string folder, string path, string programCode, string name, string? period, string userName)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var kept = KeptName(folder, token, programCode, userName) + Path.GetExtension(path);
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(kept + NameSuffix, period is null ? name : name + "\n" + period);
            File.Copy(path, kept);
            return token;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(kept + NameSuffix);
            return null;
        }
    }

    /// <summary>Renames a kept file (and its name) to names of this request's own: the one of two concurrent posts
    /// whose rename succeeds enrolls it; the other finds nothing.</summary>
    private static (string File, string NameFile)? Take(string path)
    {
        var mine = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))
            + Path.GetExtension(path);
        try
        {
            File.Move(path, mine);
        }
        catch (IOException)
        {
            return null;
        }
        try
        {
            if (File.Exists(path + NameSuffix))
            {
                File.Move(path + NameSuffix, mine + NameSuffix);
            }
        }
        catch (IOException)
        {
            // The name file carries the period the list was matched with: without it the enrollment would not write
            // the payments the match showed. Put the list back; the uploader tries again.
            File.Move(mine, path);
            return null;
        }
        // Taken, it may wait for a read slot (FileReadGate): fresh, so that no preview's sweep of old files takes it.
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(mine, now);
        return (mine, mine + NameSuffix);
    }

    private const string NameSuffix = ".nama";

    /// <summary>The kept file of this token, user and program, or null, also when older than the preview lifetime (the
    /// sweep runs every ten minutes). The token must be what <see cref="Keep"/> made (32 hex digits), so that nothing a
    /// client sends becomes part of a path.</summary>
    private static string? KeptPath(string folder, string? token, string programCode, string userName, TimeProvider clock)
    {
        if (token is not { Length: 32 } || !token.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var stem = KeptName(folder, token, programCode, userName);
        var oldest = clock.GetUtcNow().UtcDateTime - Imports.ImportUploads.PreviewLifetime;
        return new[] { ".csv", ".xlsx" }.Select(extension => stem + extension).FirstOrDefault(p => File.Exists(p) && File.GetLastWriteTimeUtc(p) >= oldest);
    }

    /// <summary>A registry preview's prefix and owner mark, then "penerima-" and the program (hashed as the user is): a
    /// list checked for PKH is not enrolled into BPNT by a form edited in the browser, and a registry preview's token
    /// (32 hex digits right after the owner mark) never names it.</summary>
    private static string KeptName(string folder, string token, string programCode, string userName) =>
        Path.Combine(folder, Imports.ImportUploads.PreviewPrefix + UploadCheck.OwnerMark(userName) + "penerima-"
            + UploadCheck.OwnerMark(programCode.Trim().ToUpperInvariant()) + token);
}
