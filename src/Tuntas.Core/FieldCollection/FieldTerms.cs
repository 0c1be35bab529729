using Tuntas.Users;

namespace Tuntas.FieldCollection;

/// <summary>The codes of field collection and the refusals an enumerator sees, in Bahasa Indonesia and English.</summary>
public static class FieldTerms
{
    public const string Accepted = "diterima";
    public const string Refused = "ditolak";

    private static readonly Dictionary<string, (string Id, string En)> _texts = new(StringComparer.Ordinal)
    {
        ["DEVICE_NAME"] = ("Nama perangkat 1–80 karakter, tanpa karakter kendali.", "The device name must be 1–80 characters, without control characters."),
        ["DEVICE_USER"] = ("Pengguna tidak ditemukan, nonaktif, atau perannya tidak melakukan kunjungan.", "User not found, disabled, or its role does not visit families."),
        ["DEVICE_NOT_ALLOWED"] = ("Anda hanya dapat membuat token untuk akun Anda sendiri.", "You may only create tokens for your own account."),
        ["TOKEN_NOT_FOUND"] = ("Token tidak ditemukan.", "Token not found."),
        ["TOKEN_UNKNOWN"] = ("Token perangkat tidak dikenal. Minta token baru kepada operator.", "Unknown device token. Ask the operator for a new token."),
        ["TOKEN_REVOKED"] = ("Token perangkat ini sudah dicabut. Minta token baru kepada operator.", "This device token was revoked. Ask the operator for a new token."),
        ["USER_DISABLED"] = ("Akun pemilik token nonaktif.", "The token's account is disabled."),
        ["FORM_UNKNOWN"] = ("Formulir tidak dikenal: {0}.", "Unknown form: {0}."),
        ["FORM_VERSION"] = ("Versi formulir {0} tidak dikenal. Unduh ulang formulir kosong.", "Unknown form version {0}. Download the blank form again."),
        ["XML_MALFORMED"] = ("Isian formulir tidak terbaca (XML rusak).", "The filled form cannot be read (malformed XML)."),
        ["XML_MISSING"] = ("Kiriman tanpa berkas xml_submission_file.", "The submission has no xml_submission_file."),
        ["INSTANCE_ID"] = ("Kiriman tanpa instanceID.", "The submission has no instanceID."),
        ["INSTANCE_REPLAYED"] = ("Kiriman dengan instanceID ini sudah diterima dengan isi berbeda.", "A submission with this instanceID was already received with different content."),
        ["TOO_LARGE"] = ("Kiriman terlalu besar: paling besar {0} MB.", "The submission is too large: at most {0} MB."),
        ["ATTACHMENT_MISSING"] = ("Foto {0} tidak ikut terkirim.", "Photo {0} was not sent."),
        ["ATTACHMENT_UNEXPECTED"] = ("Berkas {0} tidak disebut dalam isian.", "File {0} is not named in the filled form."),
        ["ATTACHMENT_TOO_LARGE"] = ("Foto {0} terlalu besar: paling besar {1} MB.", "Photo {0} is too large: at most {1} MB."),
        ["ATTACHMENT_TYPE"] = ("Berkas {0} bukan foto (JPEG/PNG).", "File {0} is not a photo (JPEG/PNG)."),
        ["FORM_HEADER"] = ("Kiriman formulir peramban tanpa tajuk X-Tuntas-Formulir.", "A browser form submission without the X-Tuntas-Formulir header."),
        ["NOT_MULTIPART"] = ("Kiriman harus multipart/form-data.", "The submission must be multipart/form-data."),
        ["LINE_REQUIRED"] = ("Pilih keluarga yang dikunjungi.", "Choose the family visited."),
        ["NOT_ASSIGNED"] = ("Keluarga ini tidak ditugaskan kepada Anda.", "This family is not assigned to you."),
        ["DESA_OUTSIDE"] = ("Desa {0} di luar wilayah tugas Anda.", "Village {0} is outside your assignment."),
    };

    public static Problem Problem(string code, string? field = null, params object?[] args)
    {
        var (id, en) = _texts.TryGetValue(code, out var t) ? t : (code, code);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return new Problem(field ?? "", code, string.Format(culture, id, args), string.Format(culture, en, args));
    }
}
