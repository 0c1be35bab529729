using Tuntas.Users;

namespace Tuntas.Attachments;

/// <summary>
/// What may be attached — to a complaint or as delivery evidence of a commitment: files of
/// at most <see cref="MaxBytes"/>, and only photos (JPEG, PNG) and PDF documents, recognized by their first bytes
/// ("magic numbers"), never by the name or the type the browser claims. The name a file is stored and served under,
/// and its Content-Type, come from that detected type too: a PDF-headed <c>bukti.bat</c>, <c>foto.html</c> or
/// <c>scan.svg</c> is kept and downloaded as <c>bukti.pdf</c>, <c>foto.pdf</c>, <c>scan.pdf</c>, so no browser or
/// desktop opens it as a program, a page or an image with script (OWASP ASVS 12.1.1, 12.2.1, 12.5.2).
/// </summary>
public static class AttachmentRules
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 2 * 1024 * 1024;

    public sealed record Upload(string FileName, byte[] Content);

    /// <summary>A type recognized from the bytes, with the extension every stored and served name of it gets.</summary>
    public sealed record DetectedType(string ContentType, string Extension);

    public static readonly DetectedType Jpeg = new("image/jpeg", ".jpg");
    public static readonly DetectedType Png = new("image/png", ".png");
    public static readonly DetectedType Pdf = new("application/pdf", ".pdf");

    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int SignatureLength = 8;

    /// <summary>The type the bytes really are, or null when they are none of the allowed kinds.</summary>
    public static DetectedType? Detect(ReadOnlySpan<byte> content) => content switch
    {
        [0xFF, 0xD8, 0xFF, ..] => Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png,
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => Pdf,
        _ => null,
    };

    /// <summary>The one check of an upload for both complaints and evidence: size, then real type.</summary>
    public static (DetectedType? Type, Problem? Problem) Check(Upload upload, string field)
    {
        var shown = DownloadName(upload.FileName, null);
        if (upload.Content.LongLength > MaxBytes)
        {
            return (null, new Problem(field, "ATTACHMENT_TOO_LARGE",
                string.Create(CultureInfo.InvariantCulture, $"Lampiran {shown} terlalu besar: paling besar {MaxBytes / (1024 * 1024)} MB."),
                string.Create(CultureInfo.InvariantCulture, $"Attachment {shown} is too large: at most {MaxBytes / (1024 * 1024)} MB.")));
        }
        return Detect(upload.Content) is { } type
            ? (type, null)
            : (null, new Problem(field, "ATTACHMENT_TYPE", $"Lampiran {shown} bukan foto (JPEG/PNG) atau PDF.", $"Attachment {shown} is not a photo (JPEG/PNG) or a PDF."));
    }

    /// <summary>
    /// The name to show and to send in Content-Disposition: the uploader's base name in letters, digits, dash and
    /// underscore (every other character, dots included, becomes <c>_</c>, so <c>scan.svg.exe</c> cannot keep an inner
    /// extension), then the extension of the detected type. Without a type (a refused upload shown in a message) the
    /// name gets no extension at all.
    /// </summary>
    public static string DownloadName(string? fileName, DetectedType? type)
    {
        var name = Path.GetFileNameWithoutExtension(Path.GetFileName((fileName ?? "").Replace('\\', '/')));
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]).Trim('_');
        safe = safe.Length is 0 ? "lampiran" : safe.Length > 80 ? safe[..80] : safe;
        return safe + type?.Extension;
    }

    /// <summary>The detected type of a stored content type (rows keep the type detected on upload).</summary>
    public static DetectedType? FromContentType(string? contentType) =>
        new[] { Jpeg, Png, Pdf }.FirstOrDefault(t => string.Equals(t.ContentType, contentType, StringComparison.OrdinalIgnoreCase));
}
