using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Tuntas.Complaints;

/// <summary>
/// Where complaint attachments are kept: outside the web root (<c>Tuntas:Complaints:AttachmentPath</c>, default
/// <c>App_Data/lampiran</c>), under random names, served only through the back office to users whose scope covers the
/// complaint.
/// </summary>
public sealed record ComplaintStorage(string Folder)
{
    public static ComplaintStorage FromConfiguration(IConfiguration configuration, string contentRoot) =>
        new(configuration["Tuntas:Complaints:AttachmentPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path, contentRoot)
            : Path.Combine(contentRoot, "App_Data", "lampiran"));

    public string PathOf(string storedName) => Path.Combine(Folder, Path.GetFileName(storedName));

    /// <summary>Writes the bytes under a new random name (create-new: never overwrites) and returns the name.</summary>
    public async Task<string> SaveAsync(byte[] content, string extension, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension;
        await using var file = new FileStream(PathOf(name), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        await file.WriteAsync(content, cancellationToken);
        return name;
    }

    public void Delete(string storedName)
    {
        var path = PathOf(storedName);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
