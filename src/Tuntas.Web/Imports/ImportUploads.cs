using System.Security.Cryptography;
using Tuntas.Data;
using Tuntas.Imports;

namespace Tuntas.Web.Imports;

/// <summary>
/// Accepts an uploaded registry file from the back office or the API: checks size, extension and content (XLSX is a
/// ZIP and starts with "PK"; a CSV is text without NUL bytes), stores it under a random name, creates the
/// <see cref="ImportJob"/> row (queued) with the scope of the request that queued it, and hands its id to the worker.
/// The worker runs later, without a request: it writes within that scope and never looks anyone's region up again
/// (an API client has no user row to look up — that hole let a village's key write any village). The stored file is
/// deleted when the job ends.
/// </summary>
public sealed class ImportUploads(TuntasDb db, ImportQueue queue, UploadOptions options, TimeProvider clock, ILogger<ImportUploads> logger)
{
    /// <summary><see cref="ErrorKey"/> names a text in the UI resources (<c>Upload.*</c>).</summary>
    public sealed record Outcome(ImportJob? Job, string? ErrorKey);

    /// <param name="profile">The file's layout (docs/import-profiles.md); empty = detected from the header.</param>
    /// <param name="village">An OpenSID file's village; empty = the uploader's own village when their scope is one village.</param>
    public async Task<Outcome> AcceptAsync(IFormFile? file, bool dryRun, string userName, Tuntas.Access.AccessScope scope, CancellationToken cancellationToken,
        string? profile = null, string? village = null)
    {
        profile = string.IsNullOrWhiteSpace(profile) ? null : profile.Trim();
        if (profile is not null && !Tuntas.Imports.Profiles.ImportProfiles.Names.Contains(profile))
        {
            return new Outcome(null, "Upload.Profile");
        }
        village = string.IsNullOrWhiteSpace(village) ? null : village.Trim();
        if (village is not null && (village.Length > 20 || Tuntas.Regions.RegionCode.ToDotted(village) is not { Length: 13 }))
        {
            return new Outcome(null, "Upload.Village");
        }
        if (village is null && !scope.IsRegencyWide && scope.Regions is [{ Length: 13 } own])
        {
            village = own;
        }
        // An import writes whole villages: the regency, or one region (a village operator's village, a coordinator
        // limited to a kecamatan). A scope of several villages or of single shared families cannot import.
        if (!scope.IsRegencyWide && (scope.Regions!.Count != 1 || scope.Families.Count > 0))
        {
            return new Outcome(null, "Upload.Scope");
        }
        if (file is null || file.Length == 0)
        {
            return new Outcome(null, "Upload.Missing");
        }
        if (file.Length > options.MaxBytes)
        {
            return new Outcome(null, "Upload.TooLarge");
        }
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        // .xlsm is OpenSID's import template (FormatImporExcel.xlsm): the same package as .xlsx, macros never run.
        if (extension is not (".csv" or ".xlsx" or ".xlsm"))
        {
            return new Outcome(null, "Upload.Extension");
        }
        var head = new byte[4096];
        int read;
        await using (var stream = file.OpenReadStream())
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var startsWithZip = read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
        var looksLikeText = !startsWithZip && Array.IndexOf(head, (byte)0, 0, read) < 0;
        if ((extension is ".xlsx" or ".xlsm" && !startsWithZip) || (extension == ".csv" && !looksLikeText))
        {
            return new Outcome(null, "Upload.Content");
        }

        Directory.CreateDirectory(options.Folder);
        var stored = Path.Combine(options.Folder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension);
        string sha256;
        await using (var target = new FileStream(stored, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        await using (var source = file.OpenReadStream())
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        var job = new ImportJob
        {
            FileName = SafeFileName(file.FileName),
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

    /// <summary>The name as the user knows it, without any path and control characters, at most 200 characters.</summary>
    public static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        return name.Length == 0 ? "upload" : name.Length > 200 ? name[..200] : name;
    }
}
