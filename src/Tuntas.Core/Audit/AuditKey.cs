using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Tuntas.Audit;

/// <summary>
/// The secret that keys the audit chain (HMAC-SHA-256) and signs its checkpoints. It lives outside the database — a
/// file named by <c>Audit:KeyFile</c> (default <c>App_Data/audit.key</c> beside the SQLite file; in production a path
/// only the application's account reads, e.g. <c>/etc/tuntas/audit.key</c>) — so whoever can write the database can
/// delete entries but cannot recompute a chain that still verifies (OWASP ASVS 7.3.3: logs protected from modification).
/// Created on first use with 32 random bytes; <see cref="KeyId"/> names it in every entry so a rotated key is told apart.
/// </summary>
public sealed class AuditKey
{
    private readonly byte[] _chainKey;
    private readonly byte[] _checkpointKey;
    private readonly byte[] _material;

    private AuditKey(byte[] material)
    {
        if (material.Length < 32)
        {
            throw new InvalidOperationException("Kunci audit minimal 32 byte / the audit key needs at least 32 bytes.");
        }
        _material = material;
        // Two keys derived from one secret (HKDF, RFC 5869): a MAC over entries can never pass as a checkpoint signature.
        _chainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "tuntas audit chain"u8.ToArray());
        _checkpointKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "tuntas audit checkpoint"u8.ToArray());
        KeyId = Convert.ToHexStringLower(SHA256.HashData(_chainKey))[..12];
    }

    /// <summary>A public name of the key (not the key): the first 12 hex digits of a hash of it.</summary>
    public string KeyId { get; }

    public static AuditKey FromBytes(byte[] material) => new(material);

    /// <summary>The key of <c>Audit:KeyFile</c>, or of the default file beside the database, created when missing.</summary>
    public static AuditKey FromConfiguration(IConfiguration configuration, string contentRoot, TuntasDatabase database) =>
        FromFile(DefaultFile(configuration, contentRoot, database));

    /// <summary>
    /// <c>Audit:KeyFile</c>, else <c>audit.key</c> in the SQLite file's folder (<c>App_Data/audit.key</c> for the default
    /// database), else, for PostgreSQL, <c>App_Data/audit.key</c> under the data root. Beside the database file, not
    /// under the folder a program was started from: the web app and a CLI started elsewhere with the same connection
    /// string must sign with the same key, or the chain they write together no longer verifies.
    /// </summary>
    public static string DefaultFile(IConfiguration configuration, string contentRoot, TuntasDatabase database) =>
        configuration["Audit:KeyFile"] is { Length: > 0 } configured ? configured
            : database.SqliteFile is { } file ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "audit.key")
            : Path.Combine(TuntasDatabase.DataRoot(configuration, contentRoot), "App_Data", "audit.key");

    public static AuditKey FromFile(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            try
            {
                // CreateNew: of the processes that start together on a fresh install, one creates the key.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (the CLI beside the web app) created it first: use theirs.
            }
        }
        return new AuditKey(ReadWhole(path));
    }

    /// <summary>
    /// The key's bytes, waiting a moment for a key another process is still writing: the file exists from its creation,
    /// empty until the write, and a process reading it then found no key and refused it as too short (a CLI test failed
    /// so on a fresh clone, parallel tests creating the key together). A key file that stays short is refused as before.
    /// </summary>
    private static byte[] ReadWhole(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            var text = File.ReadAllText(path).Trim();
            byte[] material;
            try
            {
                material = Convert.FromBase64String(text);
            }
            catch (FormatException) when (attempt >= 50)
            {
                throw new InvalidOperationException($"Berkas kunci audit {path} bukan base64 / the audit key file is not base64.");
            }
            catch (FormatException)
            {
                material = [];
            }
            if (material.Length >= 32 || attempt >= 50)
            {
                return material;
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>HMAC-SHA-256 of an entry's canonical text, lower-case hex.</summary>
    public string MacEntry(string canonical) => Convert.ToHexStringLower(HMACSHA256.HashData(_chainKey, Encoding.UTF8.GetBytes(canonical)));

    /// <summary>The signature of a checkpoint: entry id and hash, and when it was taken.</summary>
    public string SignCheckpoint(string canonical) => Convert.ToHexStringLower(HMACSHA256.HashData(_checkpointKey, Encoding.UTF8.GetBytes(canonical)));

    /// <summary>
    /// Another key for another purpose, derived from the same secret (HKDF, RFC 5869, with the purpose as its info), so an
    /// installation keeps one secret file outside the database; e.g. the DCI access-token key. Never the chain's key.
    /// </summary>
    public byte[] DeriveKey(string purpose) =>
        purpose.StartsWith("tuntas audit", StringComparison.Ordinal)
            ? throw new ArgumentException("reserved for the audit chain", nameof(purpose))
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, _material, 32, info: Encoding.UTF8.GetBytes(purpose));
}
