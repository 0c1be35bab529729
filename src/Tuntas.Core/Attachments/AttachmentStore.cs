using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Tuntas.Attachments;

/// <summary>
/// Where attachments are kept — complaint attachments and commitment delivery evidence alike: outside the web root
/// (<c>Tuntas:Complaints:AttachmentPath</c>, default <c>App_Data/lampiran</c>), under random names whose extension is
/// the detected type's (<see cref="AttachmentRules"/>), served only through the back office to users whose scope
/// covers the complaint or the need.
/// <para>
/// A file and its row are written in a fixed order so that a crash (a kill, a power cut) at any point leaves nothing a
/// sweep cannot settle: <see cref="StageAsync"/> writes the bytes under <c>name.tmp</c>; the caller commits the row
/// that names <c>name</c>; <see cref="Publish"/> then renames the file to <c>name</c> (an atomic rename in one folder).
/// <see cref="SweepAsync"/> runs at start-up: a <c>.tmp</c> file whose row was committed is published (the crash fell
/// between commit and rename), any other <c>.tmp</c> file and any file no row names is removed (the crash fell before
/// the commit, or the row was rolled back).
/// </para>
/// </summary>
public sealed record AttachmentStore(string Folder)
{
    private const string Pending = ".tmp";

    /// <summary>Files younger than this are left alone by the sweep: another instance may be between its write and its commit.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromMinutes(10);

    /// <summary>A file written under its temporary name, waiting for its row.</summary>
    public sealed record Staged(string StoredName, AttachmentRules.DetectedType Type, long Size, string Sha256);

    public static AttachmentStore FromConfiguration(IConfiguration configuration, string contentRoot) =>
        new(configuration["Tuntas:Complaints:AttachmentPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path, contentRoot)
            : Path.Combine(contentRoot, "App_Data", "lampiran"));

    public string PathOf(string storedName) => Path.Combine(Folder, Path.GetFileName(storedName));

    /// <summary>Writes the checked bytes under a new random name plus <c>.tmp</c> (create-new: never overwrites).</summary>
    public async Task<Staged> StageAsync(byte[] content, AttachmentRules.DetectedType type, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + type.Extension;
        await using (var file = new FileStream(PathOf(name) + Pending, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await file.WriteAsync(content, cancellationToken);
            await file.FlushAsync(cancellationToken);
        }
        return new Staged(name, type, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    /// <summary>After the row naming it is committed: the file takes its name.</summary>
    public void Publish(Staged staged) => File.Move(PathOf(staged.StoredName) + Pending, PathOf(staged.StoredName), overwrite: false);

    /// <summary>When the row was not committed: the staged file goes.</summary>
    public void Discard(Staged staged) => File.Delete(PathOf(staged.StoredName) + Pending);

    /// <summary>
    /// The fixed order of files and rows: <paramref name="commit"/> commits the rows that name <paramref name="staged"/>,
    /// then each file takes its name; if the commit throws, the staged files go and the exception goes on. The
    /// <paramref name="store"/> may be null only when nothing is staged.
    /// </summary>
    public static async Task CommitAsync(AttachmentStore? store, IReadOnlyList<Staged> staged, Func<Task> commit)
    {
        try
        {
            await commit();
        }
        catch
        {
            foreach (var file in staged)
            {
                store!.Discard(file);
            }
            throw;
        }
        foreach (var file in staged)
        {
            store!.Publish(file);
        }
    }

    /// <summary>The stored file to serve, with the type detected from its own first bytes now (not only on upload), or null.</summary>
    public (string Path, AttachmentRules.DetectedType Type)? Open(string storedName)
    {
        var path = PathOf(storedName);
        if (!File.Exists(path))
        {
            return null;
        }
        Span<byte> head = stackalloc byte[AttachmentRules.SignatureLength];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return AttachmentRules.Detect(head[..read]) is { } type ? (path, type) : null;
    }

    public sealed record SweepOutcome(int Published, int Removed);

    /// <summary>Settles what a crash left (see the class summary); files younger than <see cref="SweepGrace"/> are skipped.</summary>
    public async Task<SweepOutcome> SweepAsync(TuntasDb db, DateTime utcNow, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return new SweepOutcome(0, 0);
        }
        var named = new HashSet<string>(await db.ComplaintAttachments.AsNoTracking().Select(a => a.StoredName).ToListAsync(cancellationToken), StringComparer.Ordinal);
        named.UnionWith(await db.CommitmentEvents.AsNoTracking().Where(e => e.EvidenceStoredName != null).Select(e => e.EvidenceStoredName!).ToListAsync(cancellationToken));
        // The signed berita acara of a village's musdes (verivali) is kept in the same folder.
        named.UnionWith(await db.VerivaliMusdes.AsNoTracking().Where(m => m.ScanPath != null).Select(m => m.ScanPath!).ToListAsync(cancellationToken));
        // Photos of verivali visits taken in the back office or through the API.
        named.UnionWith(await db.VerivaliLinePhotos.AsNoTracking().Select(p => p.StoredName).ToListAsync(cancellationToken));
        // Progress photos of P2KP works (docs/p2kp.md).
        named.UnionWith(await db.P2kpProgressPhotos.AsNoTracking().Select(p => p.StoredName).ToListAsync(cancellationToken));
        // Photos sent with field submissions (ODK Collect, docs/field-collection.md).
        named.UnionWith(await db.FieldSubmissionFiles.AsNoTracking().Select(f => f.StoredName).ToListAsync(cancellationToken));
        var (published, removed) = (0, 0);
        foreach (var path in Directory.EnumerateFiles(Folder))
        {
            if (utcNow - File.GetLastWriteTimeUtc(path) < SweepGrace)
            {
                continue;
            }
            var name = Path.GetFileName(path);
            if (name.EndsWith(Pending, StringComparison.Ordinal) && named.Contains(name[..^Pending.Length]) && !File.Exists(PathOf(name[..^Pending.Length])))
            {
                File.Move(path, PathOf(name[..^Pending.Length]));
                published++;
            }
            else if (!named.Contains(name))
            {
                File.Delete(path);
                removed++;
            }
        }
        return new SweepOutcome(published, removed);
    }
}
