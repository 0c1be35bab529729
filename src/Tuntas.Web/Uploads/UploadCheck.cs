using System.Security.Cryptography;

namespace Tuntas.Web.Uploads;

/// <summary>What one kind of upload may be: its largest size and the extensions it accepts.</summary>
public sealed record UploadKind(long MaxBytes, params string[] Extensions)
{
    /// <summary>Recipient lists are village or agency lists: a few thousand rows, never the registry's 200 MB.</summary>
    public static readonly UploadKind RecipientList = new(20L * 1024 * 1024, ".csv", ".xlsx");

    /// <summary>A UPK loan book: one workbook, or a ZIP of its CSV sheets (spec/LOAN-BOOK-FORMAT.md).</summary>
    public static readonly UploadKind LoanBook = new(50L * 1024 * 1024, ".xlsx", ".zip");

    /// <summary>A registry file; <c>.xlsm</c> is OpenSID's import template (FormatImporExcel.xlsm): the same package as
    /// <c>.xlsx</c>, its macros never run.</summary>
    public static UploadKind RegistryFile(long maxBytes) => new(maxBytes, ".csv", ".xlsx", ".xlsm");
}

/// <summary>
/// The one check of an uploaded table or package, for the registry import, recipient lists and the UPK loan book, on
/// pages and API alike: present, not larger than its kind allows, an accepted extension, and content that is what the
/// extension claims — an XLSX, XLSM or ZIP is a ZIP package starting with <c>PK\x03\x04</c>, a CSV is text without NUL
/// bytes in its first 4 KB (OWASP ASVS 12.1.1, 12.2.1). Photos and documents attached as evidence have their own rules
/// (<see cref="Tuntas.Attachments.AttachmentRules"/>). The copy to disk counts bytes while it streams and stops at the
/// limit, whatever length the request claimed.
/// </summary>
public static class UploadCheck
{
    private const int HeadBytes = 4096;

    /// <summary>Why the upload is refused, or null when it may be read.</summary>
    public static async Task<Problem?> RefusalAsync(IFormFile? file, UploadKind kind, CancellationToken cancellationToken)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            return new Problem("file", "UPLOAD_MISSING", "Pilih berkas untuk diunggah.", "Choose a file to upload.");
        }
        if (file.Length == 0)
        {
            // A file was chosen, and it is empty (an export that failed, a copy cut short): "choose a file" sent users
            // looking for a button they had already used.
            var empty = Tuntas.Imports.ImportMessages.Issue(0, null, null, "FILE_EMPTY");
            return new Problem("file", "FILE_EMPTY", empty.Message.TrimEnd('.') + $" ({Path.GetFileName(file.FileName)}, 0 byte).",
                empty.MessageEn.TrimEnd('.') + $" ({Path.GetFileName(file.FileName)}, 0 bytes).");
        }
        if (file.Length > kind.MaxBytes)
        {
            return TooLarge(kind);
        }
        var head = new byte[HeadBytes];
        int read;
        await using (var stream = file.OpenReadStream())
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        // Excel 97–2003, whatever its name says (the import's own signature check): the user needs "save it as .xlsx",
        // as the CLI tells them, not "wrong type".
        if (Tuntas.Imports.Tabular.TabularEncoding.Detect(head.AsSpan(0, read)) is { Code: "FILE_XLS" })
        {
            var xls = Tuntas.Imports.ImportMessages.Issue(0, null, null, "FILE_XLS");
            return new Problem("file", "FILE_XLS", xls.Message, xls.MessageEn);
        }
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (!kind.Extensions.Contains(extension))
        {
            var accepted = string.Join(", ", kind.Extensions);
            return new Problem("file", "UPLOAD_EXTENSION", $"Hanya berkas {accepted} yang diterima.", $"Only {accepted} files are accepted.");
        }
        var startsWithZip = read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
        var looksLikeText = !startsWithZip && Array.IndexOf(head, (byte)0, 0, read) < 0;
        return (extension == ".csv" ? looksLikeText : startsWithZip)
            ? null
            : new Problem("file", "UPLOAD_CONTENT", "Isi berkas tidak sesuai jenisnya (XLSX/ZIP harus berkas paket asli; CSV harus teks).",
                "The file content does not match its type (XLSX/ZIP must be a real package; CSV must be text).");
    }

    /// <summary>
    /// Copies the upload to <paramref name="path"/> (created new, never overwritten), counting while it streams; returns
    /// the SHA-256 of the content, or null after deleting the partial copy when the stream ran past the limit.
    /// </summary>
    public static async Task<string?> CopyAsync(IFormFile file, UploadKind kind, string path, CancellationToken cancellationToken)
    {
        long total = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        await using (var source = file.OpenReadStream())
        {
            var buffer = new byte[81920];
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += n;
                if (total > kind.MaxBytes)
                {
                    break;
                }
                hash.AppendData(buffer, 0, n);
                await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        if (total > kind.MaxBytes)
        {
            File.Delete(path);
            return null;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A fresh name in the temporary folder for one request's upload; the caller deletes it when done.</summary>
    public static string TemporaryPath(string prefix, string fileName) =>
        Path.Combine(Path.GetTempPath(), prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + Path.GetExtension(fileName).ToLowerInvariant());

    /// <summary>
    /// The uploader's mark in a kept file's name (a hash of the user name, 16 hex digits and '-'): a token for "import this
    /// file" names a file of its uploader only, so that another user who saw the token (over a shoulder, in a screenshot)
    /// cannot commit that file in their own name and scope.
    /// </summary>
    public static string OwnerMark(string userName) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userName)))[..16] + "-";

    public static Problem TooLarge(UploadKind kind)
    {
        var megabytes = (kind.MaxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);
        return new Problem("file", "UPLOAD_TOO_LARGE", $"Berkas lebih besar dari {megabytes} MB.", $"The file is larger than {megabytes} MB.");
    }

    /// <summary>The name as the user knows it, without any path, control and invisible format characters, at most 200
    /// characters. A right-to-left override (U+202E) or a zero-width character in a name shown in the jobs' table and
    /// written in the audit trail would make <c>keluarga\u202Ecsv.xlsx</c> read as another file than it is.</summary>
    public static string SafeFileName(string fileName)
    {
        // Identifiers masked first (the mask keeps their length): a NIK cut by the length limit would be left half bare.
        var name = global::Tuntas.Registry.HistoryValues.MaskIdentifiers(Path.GetFileName(fileName.Replace('\\', '/')));
        // By whole characters (runes): a format character outside the basic plane (the tag characters U+E0001…) is two
        // UTF-16 halves that are not format characters one by one, and a cut in the middle of a pair leaves half a
        // character that no UTF-8 column can store.
        var kept = new System.Text.StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            if (System.Text.Rune.IsControl(rune) || System.Text.Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format || rune == System.Text.Rune.ReplacementChar)
            {
                continue;
            }
            if (kept.Length + rune.Utf16SequenceLength > 200)
            {
                break;
            }
            kept.Append(rune.ToString());
        }
        return kept.Length == 0 ? "upload" : kept.ToString();
    }
}
