namespace Tuntas.Complaints;

/// <summary>
/// What may be attached to a complaint (issue #7 §2): at most <see cref="MaxFiles"/> files of at most
/// <see cref="MaxBytes"/> each, and only photos (JPEG, PNG) and PDF documents — recognized by their first bytes, not
/// by the name or the type the browser claims, so a script renamed <c>foto.jpg</c> is refused.
/// </summary>
public static class AttachmentRules
{
    public const int MaxFiles = 3;
    public const long MaxBytes = 2 * 1024 * 1024;

    public sealed record Upload(string FileName, byte[] Content);

    /// <summary>The content type the bytes really are, or null when they are none of the allowed kinds.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) => content switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        _ => null,
    };

    public static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        _ => ".pdf",
    };

    /// <summary>A file name safe to show and to send back in Content-Disposition: letters, digits, dot, dash, underscore.</summary>
    public static string SafeName(string fileName)
    {
        var name = Path.GetFileName(fileName ?? "");
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return safe.Length is 0 ? "lampiran" : safe.Length > 80 ? safe[^80..] : safe;
    }
}
