using System.Security.Cryptography;
using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Imports.Profiles;
using Tuntas.Regions;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Imports;

/// <summary>
/// Accepts an uploaded registry file from the back office or the API: checks it (<see cref="UploadCheck"/>: size,
/// extension, content), stores it under a random name, creates the
/// <see cref="ImportJob"/> row (queued) with the scope of the request that queued it, and hands its id to the worker.
/// The worker runs later, without a request: it writes within that scope and never looks anyone's region up again
/// (an API client has no user row to look up — that hole let a village's key write any village). The stored file is
/// deleted when the job ends.
/// </summary>
public sealed class ImportUploads(TuntasDb db, ImportQueue queue, UploadOptions options, TimeProvider clock, ILogger<ImportUploads> logger,
    FileReadGate gate, Microsoft.Extensions.Options.IOptions<RegencyOptions>? regency = null)
{
    /// <summary>The queued job, or why the upload is refused.</summary>
    public sealed record Outcome(ImportJob? Job, Problem? Refusal);

    /// <summary>A preview of an upload (<see cref="PreviewImport"/>), and the token under which its file waits for the
    /// uploader's "import this file" (<see cref="AcceptAsync"/>'s <c>previewed</c>).</summary>
    public sealed record Previewed(PreviewImport.Outcome? Preview, string? Token, Problem? Refusal);

    /// <summary>Previews not imported within this time are deleted at the next preview.</summary>
    public static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(2);

    /// <summary>Every file kept for a later "import" starts so (a checked recipient list too): one sweep deletes them all.</summary>
    public const string PreviewPrefix = "pratinjau-";

    /// <summary>Checks and stores an upload as <see cref="AcceptAsync"/> does, and reads its first rows without queuing
    /// anything (docs/import-profiles.md, "Preview").</summary>
    /// <param name="keep">Keep the stored file for the uploader's "import this file" (the back office); the API's
    /// preview deletes it at once.</param>
    /// <param name="userName">The uploader: the token names their file only (<see cref="Owner"/>).</param>
    public async Task<Previewed> PreviewAsync(IFormFile? file, string userName, AccessScope scope, CancellationToken cancellationToken, string? profile = null,
        string? village = null, bool keep = true)
    {
        if (Check(ref profile, ref village, scope) is { } refused)
        {
            return new Previewed(null, null, refused);
        }
        var kind = UploadKind.RegistryFile(options.MaxBytes);
        if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
        {
            return new Previewed(null, null, refusal);
        }
        Directory.CreateDirectory(options.Folder);
        DeleteOldPreviews();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + Path.GetExtension(file!.FileName).ToLowerInvariant();
        var stored = Path.Combine(options.Folder, PreviewPrefix + Owner(userName) + token);
        if (await UploadCheck.CopyAsync(file, kind, stored, cancellationToken) is null)
        {
            return new Previewed(null, null, UploadCheck.TooLarge(kind));
        }
        try
        {
            // What the import reads from the registry first, and what only the registry can tell (PreviewImport.RunAgainstRegistryAsync).
            var preview = await gate.ReadAsync(() => PreviewImport.RunAgainstRegistryAsync(new PreviewImport.Input(stored, profile, village,
                RegionScope: scope.IsRegencyWide ? null : scope.Regions![0], SourceName: UploadCheck.SafeFileName(file.FileName),
                Today: RegencyOptions.Of(regency).Today(clock)), db, cancellationToken), cancellationToken);
            if (preview is null)
            {
                keep = false;
                return new Previewed(null, null, FileReadGate.Busy);
            }
            return new Previewed(preview, keep ? token : null, null);
        }
        finally
        {
            if (!keep)
            {
                File.Delete(stored);
            }
        }
    }

    private void DeleteOldPreviews() => DeleteOldPreviews(options.Folder, clock.GetUtcNow().UtcDateTime, logger);

    /// <summary>Deletes the previews and the kept files of dry runs (<see cref="KeepValidated"/>) older than
    /// <see cref="PreviewLifetime"/>: a file waits for its uploader's "import" that long, no longer.</summary>
    public static void DeleteOldPreviews(string folder, DateTime utcNow, ILogger logger)
    {
        var before = utcNow - PreviewLifetime;
        foreach (var old in Directory.EnumerateFiles(folder, PreviewPrefix + "*").Where(f => File.GetLastWriteTimeUtc(f) < before))
        {
            try
            {
                File.Delete(old);
            }
            catch (IOException exception)
            {
                logger.LogWarning(exception, "An old import preview could not be deleted");
            }
        }
    }

    /// <summary>
    /// The file of a dry run that passed, kept as a preview's is (<see cref="PreviewLifetime"/>), so that "import this
    /// file" after reading the dry run's report imports the very file that was checked without a second upload — a
    /// village operator's connection is slow. Returns where it is kept.
    /// </summary>
    public static string KeepValidated(string stored, string uploader, DateTime utcNow)
    {
        var kept = Path.Combine(Path.GetDirectoryName(stored)!, PreviewPrefix + Owner(uploader) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
            + Path.GetExtension(stored).ToLowerInvariant());
        File.Move(stored, kept);
        File.SetLastWriteTimeUtc(kept, utcNow);
        return kept;
    }

    /// <summary>The uploader's dry run can be imported as it is: it passed (no error) and its file is still kept.</summary>
    public bool CanImportValidated(ImportJob job, string userName) => KeptToken(job, userName) is not null;

    /// <summary>Only the uploader's: an administrator or coordinator sees every job, but the decision to commit a file
    /// someone checked is that person's (an administrator's click would commit a village's file under the administrator's
    /// name, and a coordinator's would use up the village's one import of it).</summary>
    private string? KeptToken(ImportJob job, string userName) =>
        job is { DryRun: true, Status: ImportJob.Validated, StoredPath: { } path } && job.CreatedBy == userName
            && Path.GetFileName(path) is { } name && name.StartsWith(PreviewPrefix + Owner(userName), StringComparison.Ordinal)
            && name[(PreviewPrefix.Length + Owner(userName).Length)..] is var token && PreviewPath(token, userName) is not null ? token : null;

    /// <summary>
    /// The uploader's mark in a kept file's name (a hash of the user name, 16 hex digits and '-'): a preview token or a
    /// dry run's file names a file of its uploader only. Before, any user who may import could send another's token
    /// (seen over a shoulder, in a shared browser's history of form data, in a screenshot) and import that person's file
    /// in their own name and scope — an administrator's regency scope, for a village's file.
    /// </summary>
    private static string Owner(string userName) => UploadCheck.OwnerMark(userName);

    /// <summary>
    /// Queues the import of the user's own dry run's file (<see cref="KeepValidated"/>) with the dry run's layout, village
    /// and moves choice, in the scope of the request that asks: the import checks the file again against the registry as
    /// it is then, as any import does. The caller has found the dry run among the jobs the user may see. The dry run is
    /// claimed in the database first, so that two requests at once queue one import.
    /// </summary>
    public async Task<Outcome> ImportValidatedAsync(ImportJob dryRun, string userName, AccessScope scope, CancellationToken cancellationToken)
    {
        var notValidated = Refusal("job", "UPLOAD_NOT_VALIDATED",
            "Hanya uji coba Anda sendiri yang lolos tanpa galat yang dapat diimpor dari sini, dan berkasnya disimpan 2 jam setelah uji coba (dan hanya sampai diimpor). Unggah berkasnya lagi.",
            "Only your own dry run that passed without errors can be imported from here, and its file is kept for 2 hours after the dry run (and only until it is imported). Upload the file again.");
        if (KeptToken(dryRun, userName) is not { } token)
        {
            return new Outcome(null, notValidated);
        }
        // The scope's refusal before the claim: a refused request must leave the dry run importable by its uploader.
        var (profile, village) = (dryRun.Profile, dryRun.Village);
        if (Check(ref profile, ref village, scope) is { } refused)
        {
            return new Outcome(null, refused);
        }
        var kept = dryRun.StoredPath;
        if (await db.ImportJobs.Where(j => j.Id == dryRun.Id && j.StoredPath == kept)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.StoredPath, (string?)null), cancellationToken) != 1)
        {
            return new Outcome(null, Taken);
        }
        return await AcceptAsync(null, dryRun: false, userName, scope, cancellationToken, dryRun.Profile, dryRun.Village, token, dryRun.FileName, dryRun.AllowMoves);
    }

    /// <summary>A previewed or dry-run file that another request took first (the same form sent twice), or whose two hours
    /// are over.</summary>
    private static Problem Taken => Refusal("file", "UPLOAD_TAKEN",
        "Berkas ini sudah diimpor oleh permintaan sebelumnya, atau waktu simpannya (2 jam) sudah lewat; lihat daftar pekerjaan impor, atau unggah berkasnya lagi.",
        "This file was already imported by an earlier request, or its 2 hours are over; see the list of import jobs, or upload the file again.");

    /// <summary>The stored file of a preview token of this user, or null for anything that is not one (a token names a file
    /// of the upload folder only, 32 hex digits and a registry file's extension, and only the uploader's).</summary>
    private string? PreviewPath(string? token, string userName) =>
        token is { Length: <= 40 } && System.Text.RegularExpressions.Regex.IsMatch(token, "^[0-9a-f]{32}\\.(csv|xlsx|xlsm)$")
            && Path.Combine(options.Folder, PreviewPrefix + Owner(userName) + token) is var path && File.Exists(path)
            // Its two hours are checked here, not only by the sweep every 10 minutes.
            && File.GetLastWriteTimeUtc(path) >= clock.GetUtcNow().UtcDateTime - PreviewLifetime ? path : null;

    private static Problem? Check(ref string? profile, ref string? village, AccessScope scope)
    {
        profile = string.IsNullOrWhiteSpace(profile) ? null : profile.Trim();
        if (profile is not null && !ImportProfiles.Names.Contains(profile))
        {
            return Refusal("profile", "UPLOAD_PROFILE", "Format berkas tidak dikenal.", "Unknown file layout.");
        }
        village = string.IsNullOrWhiteSpace(village) ? null : village.Trim();
        if (village is not null && (village.Length > 20 || RegionCode.ToDotted(village) is not { Length: 13 }))
        {
            return Refusal("village", "UPLOAD_VILLAGE", "Kode desa harus 10 angka Kemendagri (33.14.01.2001 atau 3314012001).",
                "The village code must be the 10-digit Kemendagri code (33.14.01.2001 or 3314012001).");
        }
        if (village is null && !scope.IsRegencyWide && scope.Regions is [{ Length: 13 } own])
        {
            village = own;
        }
        // An import writes whole villages: the regency, or one region (a village operator's village, a coordinator
        // limited to a kecamatan). A scope of several villages or of single shared families cannot import.
        if (!scope.IsRegencyWide && (scope.Regions!.Count != 1 || scope.Families.Count > 0))
        {
            return Refusal("file", "UPLOAD_SCOPE",
                "Impor hanya untuk cakupan seluruh kabupaten atau satu wilayah (desa operator, kecamatan koordinator). Akun atau kunci API ini tidak punya cakupan itu.",
                "Imports need a regency-wide scope or one region (an operator's village, a coordinator's kecamatan). This account or API key has neither.");
        }
        return null;
    }

    /// <param name="profile">The file's layout (docs/import-profiles.md); empty = detected from the header.</param>
    /// <param name="village">An OpenSID file's village; empty = the uploader's own village when their scope is one village.</param>
    /// <param name="allowMoves">A NIK the file lists under another NO_KK is a move (docs/import-format.md, "Moves").</param>
    /// <param name="previewed">Instead of a file: the token of a preview of this uploader (<see cref="PreviewAsync"/>), whose
    /// stored file becomes the job's; <paramref name="previewedName"/> is its name as uploaded.</param>
    public async Task<Outcome> AcceptAsync(IFormFile? file, bool dryRun, string userName, AccessScope scope, CancellationToken cancellationToken,
        string? profile = null, string? village = null, string? previewed = null, string? previewedName = null, bool allowMoves = false)
    {
        if (Check(ref profile, ref village, scope) is { } refused)
        {
            return new Outcome(null, refused);
        }
        var kind = UploadKind.RegistryFile(options.MaxBytes);
        Directory.CreateDirectory(options.Folder);
        var stored = Path.Combine(options.Folder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        string sha256, fileName;
        var preview = file is null ? PreviewPath(previewed, userName) : null;
        if (file is null && !string.IsNullOrEmpty(previewed) && preview is null)
        {
            return new Outcome(null, Taken);
        }
        if (preview is not null)
        {
            stored += Path.GetExtension(preview);
            try
            {
                // A rename (overwrite: the target is a new random name), atomic: of two requests sending the same form at
                // once (a double click on a slow line), one takes the file and the other is told.
                File.Move(preview, stored, overwrite: true);
            }
            catch (FileNotFoundException)
            {
                return new Outcome(null, Taken);
            }
            await using (var stream = File.OpenRead(stored))
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            }
            // Never the stored copy's random name: its hex digits could read as a village code (VillageInFileName).
            fileName = UploadCheck.SafeFileName(previewedName ?? "berkas" + Path.GetExtension(stored));
        }
        else
        {
            if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
            {
                return new Outcome(null, refusal);
            }
            stored += Path.GetExtension(file!.FileName).ToLowerInvariant();
            if (await UploadCheck.CopyAsync(file, kind, stored, cancellationToken) is not { } copied)
            {
                return new Outcome(null, UploadCheck.TooLarge(kind));
            }
            (sha256, fileName) = (copied, UploadCheck.SafeFileName(file.FileName));
        }
        var job = new ImportJob
        {
            FileName = fileName,
            Sha256 = sha256,
            DryRun = dryRun,
            Status = ImportJob.Queued,
            StoredPath = stored,
            CreatedBy = userName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ScopeRegency = scope.IsRegencyWide,
            ScopeRegion = scope.IsRegencyWide ? null : scope.Regions![0],
            Profile = profile,
            // Dotted, as the jobs are matched to a coordinator's kecamatan (ImportDownloads.VisibleTo); as typed when
            // it is no code, for the import to refuse with the value.
            Village = village is null ? null : RegionCode.ToDotted(village) ?? village,
            AllowMoves = allowMoves,
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        queue.Enqueue(job.Id);
        logger.LogInformation("Import job {JobId} queued by {UserName} ({Bytes} bytes, dry run: {DryRun}, moves: {AllowMoves})", job.Id, userName,
            new FileInfo(stored).Length, dryRun, allowMoves);
        return new Outcome(job, null);
    }

    private static Problem Refusal(string field, string code, string message, string messageEn) => new(field, code, message, messageEn);
}
