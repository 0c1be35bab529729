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
public sealed class ImportUploads(TuntasDb db, ImportQueue queue, UploadOptions options, TimeProvider clock, ILogger<ImportUploads> logger)
{
    /// <summary>The queued job, or why the upload is refused.</summary>
    public sealed record Outcome(ImportJob? Job, Problem? Refusal);

    /// <param name="profile">The file's layout (docs/import-profiles.md); empty = detected from the header.</param>
    /// <param name="village">An OpenSID file's village; empty = the uploader's own village when their scope is one village.</param>
    public async Task<Outcome> AcceptAsync(IFormFile? file, bool dryRun, string userName, AccessScope scope, CancellationToken cancellationToken,
        string? profile = null, string? village = null)
    {
        profile = string.IsNullOrWhiteSpace(profile) ? null : profile.Trim();
        if (profile is not null && !ImportProfiles.Names.Contains(profile))
        {
            return Refused("profile", "UPLOAD_PROFILE", "Format berkas tidak dikenal.", "Unknown file layout.");
        }
        village = string.IsNullOrWhiteSpace(village) ? null : village.Trim();
        if (village is not null && (village.Length > 20 || RegionCode.ToDotted(village) is not { Length: 13 }))
        {
            return Refused("village", "UPLOAD_VILLAGE", "Kode desa harus 10 angka Kemendagri (33.14.01.2001 atau 3314012001).",
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
            return Refused("file", "UPLOAD_SCOPE",
                "Impor hanya untuk cakupan seluruh kabupaten atau satu wilayah (desa operator, kecamatan koordinator). Akun atau kunci API ini tidak punya cakupan itu.",
                "Imports need a regency-wide scope or one region (an operator's village, a coordinator's kecamatan). This account or API key has neither.");
        }
        var kind = UploadKind.RegistryFile(options.MaxBytes);
        if (await UploadCheck.RefusalAsync(file, kind, cancellationToken) is { } refusal)
        {
            return new Outcome(null, refusal);
        }

        Directory.CreateDirectory(options.Folder);
        var stored = Path.Combine(options.Folder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + Path.GetExtension(file!.FileName).ToLowerInvariant());
        if (await UploadCheck.CopyAsync(file, kind, stored, cancellationToken) is not { } sha256)
        {
            return new Outcome(null, UploadCheck.TooLarge(kind));
        }
        var job = new ImportJob
        {
            FileName = UploadCheck.SafeFileName(file.FileName),
            Sha256 = sha256,
            DryRun = dryRun,
            Status = ImportJob.Queued,
            StoredPath = stored,
            CreatedBy = userName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ScopeRegency = scope.IsRegencyWide,
            ScopeRegion = scope.IsRegencyWide ? null : scope.Regions![0],
            Profile = profile,
            Village = village,
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        queue.Enqueue(job.Id);
        logger.LogInformation("Import job {JobId} queued by {UserName} ({Bytes} bytes, dry run: {DryRun})", job.Id, userName, file.Length, dryRun);
        return new Outcome(job, null);
    }

    private static Outcome Refused(string field, string code, string message, string messageEn) => new(null, new Problem(field, code, message, messageEn));
}
