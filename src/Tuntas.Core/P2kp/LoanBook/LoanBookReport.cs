using System.Text.Json.Serialization;

namespace Tuntas.P2kp.LoanBook;

/// <summary>The import report of LOAN-BOOK-FORMAT.md §7: printed by <c>tuntas upk import --json</c>, returned by the API and the back office.</summary>
public sealed class LoanBookReport
{
    public required string File { get; init; }
    public bool DryRun { get; init; }
    public bool Committed { get; set; }
    /// <summary>Data rows read per sheet, all seven sheets.</summary>
    public Dictionary<string, long> Counts { get; init; } = LoanBookSheets.Names.ToDictionary(n => n, _ => 0L);
    public List<LoanBookIssue> Errors { get; init; } = [];
    public List<LoanBookIssue> Warnings { get; init; } = [];
    /// <summary>Set when the book could not be processed at all (unreadable, database refused): exit code 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Failure { get; set; }

    /// <summary>Seconds per phase (read, check, registry, write), for the benchmark; not part of the JSON.</summary>
    [JsonIgnore]
    public List<(string Phase, double Seconds)> Timings { get; } = [];

    [JsonIgnore]
    public int ExitCode => Failure is not null ? 1 : Errors.Count > 0 ? 2 : 0;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>One finding: sheet, row (header = 1; null for a missing sheet), column, the cell as text, a stable code, the message in Indonesian and English.</summary>
public sealed record LoanBookIssue(string Sheet, long? Row, string? Column, string? Value, string Code, string Message, string MessageEn);

/// <summary>The codes of LOAN-BOOK-FORMAT.md §6 with their messages; {0} is a detail such as the allowed range.</summary>
public static class LoanBookMessages
{
    private static readonly Dictionary<string, (string Id, string En)> _messages = new(StringComparer.Ordinal)
    {
        ["SHEET_MISSING"] = ("Lembar {0} wajib ada.", "Sheet {0} is required."),
        ["COLUMN_MISSING"] = ("Kolom wajib {0} tidak ada di baris judul.", "Required column {0} is missing from the header."),
        ["UNKNOWN_COLUMN"] = ("Kolom {0} tidak dikenal dan diabaikan.", "Unknown column {0} is ignored."),
        ["REQUIRED"] = ("Wajib diisi.", "A value is required."),
        ["DATE_FORMAT"] = ("Harus {0} (tanggal atau bulan yang sah).", "Must be {0} (a real date or month)."),
        ["NOT_A_NUMBER"] = ("Bukan angka yang sah: bilangan bulat tanpa pemisah atau Rp, dan JASA_PERSEN_BULAN persen dengan titik desimal tanpa tanda % (1.5).",
            "Not a valid number: a whole number without separators or Rp, and JASA_PERSEN_BULAN a percentage with a decimal point and no % sign (1.5)."),
        ["OUT_OF_RANGE"] = ("Di luar rentang yang sah ({0}).", "Outside the allowed range ({0})."),
        ["INVALID_CODE"] = ("Kode tidak dikenal; pilihan: {0}.", "Unknown code; allowed: {0}."),
        ["NIK_FORMAT"] = ("NIK tidak sah (16 angka, kode provinsi dan tanggal lahir yang sah).", "Invalid NIK (16 digits with a valid province code and birth date)."),
        ["UNKNOWN_DESA"] = ("Kode desa/kelurahan tidak ada di tabel wilayah Kemendagri.", "The village code is not in the Kemendagri region table."),
        ["UNKNOWN_UPK"] = ("UPK ini tidak ada di lembar UPK.", "This UPK is not in the UPK sheet."),
        ["UNKNOWN_KSM"] = ("KSM ini tidak ada di lembar KSM.", "This KSM is not in the KSM sheet."),
        ["UNKNOWN_LOAN"] = ("Pinjaman ini tidak ada di lembar PINJAMAN.", "This loan is not in the PINJAMAN sheet."),
        ["DUPLICATE_KEY"] = ("Kunci ganda: sudah ada di baris {0}.", "Duplicate key: already in row {0}."),
        ["DATE_ORDER"] = ("TANGGAL_ANGSURAN_PERTAMA harus sesudah TANGGAL_CAIR ({0}).", "TANGGAL_ANGSURAN_PERTAMA must be after TANGGAL_CAIR ({0})."),
        ["PAYMENT_BEFORE_DISBURSEMENT"] = ("Pembayaran sebelum pinjaman dicairkan ({0}).", "Payment before the loan was disbursed ({0})."),
        ["OVERPAID"] = ("Pokok yang dibayar melebihi pokok pinjaman ({0}).", "Principal paid exceeds the loan's principal ({0})."),
        ["NIK_NOT_IN_REGISTRY"] = ("NIK tidak ada di data terpadu (anggota tetap diimpor).", "The NIK is not in the registry (the member is imported anyway)."),
        ["KSM_SIZE"] = ("KSM beranggota {0}; lazimnya 5–10 keluarga.", "The KSM has {0} members; usually 5–10 families."),
        ["KETUA_NOT_MEMBER"] = ("NIK_KETUA bukan anggota berperan KETUA di lembar ANGGOTA.", "NIK_KETUA is not a member with role KETUA in the ANGGOTA sheet."),
        ["OUTSIDE_SCOPE"] = ("Desa ini di luar wilayah kerja Anda.", "This village is outside your area."),
        ["UPK_OUTSIDE_SCOPE"] = ("UPK berkode ini sudah tercatat untuk desa di luar wilayah kerja Anda; buku ini tidak boleh menggantinya.",
            "A UPK with this code is already recorded for a village outside your area; this book may not replace it."),
        ["FILE_UNREADABLE"] = ("Berkas tidak dapat dibaca: {0}", "The file cannot be read: {0}"),
    };

    public static LoanBookIssue Issue(string sheet, long? row, string? column, string? value, string code, string? detail = null)
    {
        var (id, en) = _messages.TryGetValue(code, out var m) ? m : (code, code);
        return new LoanBookIssue(sheet, row, column, value, code,
            string.Format(CultureInfo.InvariantCulture, id, detail ?? column ?? ""),
            string.Format(CultureInfo.InvariantCulture, en, detail ?? column ?? ""));
    }

    public static IEnumerable<string> Codes => _messages.Keys;
}
