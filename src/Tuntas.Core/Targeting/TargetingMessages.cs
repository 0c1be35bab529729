namespace Tuntas.Targeting;

/// <summary>A finding about a rule, model or run: a <see cref="Problem"/> whose field is a JSON path (<see cref="Path"/>)
/// into the rule or model.</summary>
public sealed record TargetingIssue(string Path, string Code, string Message, string MessageEn) : Problem(Path, Code, Message, MessageEn);

/// <summary>Refused input (a rule or model with errors, a calibration sample that cannot be fitted); carries every issue.</summary>
public sealed class TargetingException(IReadOnlyList<TargetingIssue> issues) : RefusedException(issues)
{
    public IReadOnlyList<TargetingIssue> Issues => issues;
}

/// <summary>Every message of the targeting engine, by code, in Bahasa Indonesia (first) and English (docs/targeting.md).</summary>
public static class TargetingMessages
{
    private static readonly Dictionary<string, (string Id, string En)> _messages = new(StringComparer.Ordinal)
    {
        ["JSON"] = ("Bukan JSON yang sah: {0}", "Not valid JSON: {0}"),
        ["UNKNOWN_OPERATOR"] = ("Operator '{0}' tidak dikenal. Yang tersedia: {1}.", "Unknown operator '{0}'. Available: {1}."),
        ["UNKNOWN_FIELD"] = ("Kolom '{0}' tidak ada. Maksud Anda '{1}'?", "Field '{0}' does not exist. Did you mean '{1}'?"),
        ["ARITY"] = ("Operator '{0}' memerlukan {1}.", "Operator '{0}' needs {1}."),
        ["EMPTY_LIST"] = ("Daftar '{0}' kosong.", "The list '{0}' is empty."),
        ["TYPE"] = ("{0}", "{0}"),
        ["EXPECTED_CONDITION"] = ("Di sini diharapkan syarat (mis. {{\"<\": [...]}}, all, any, not), bukan {0}.", "A condition is expected here (e.g. {{\"<\": [...]}}, all, any, not), not {0}."),
        ["EXPECTED_VALUE"] = ("Di sini diharapkan nilai (angka, teks, {{\"field\": ...}} atau hitungan), bukan {0}.", "A value is expected here (number, text, {{\"field\": ...}} or arithmetic), not {0}."),
        ["DIVIDE_BY_ZERO"] = ("Pembagian dengan nol.", "Division by zero."),
        ["PERSON_FIELD_OUTSIDE_MEMBERS"] = ("Kolom anggota '{0}' hanya boleh dipakai di dalam count, sum, min, max, anyMember atau allMembers.", "Member field '{0}' may only be used inside count, sum, min, max, anyMember or allMembers."),
        ["NESTED_MEMBERS"] = ("Agregat anggota tidak boleh bersarang di dalam agregat anggota.", "Member aggregates cannot be nested inside member aggregates."),
        ["RUN_FIELD_IN_MODEL"] = ("'{0}' adalah hasil penargetan dan tidak boleh dipakai di model penilaian (model akan bergantung pada dirinya sendiri).", "'{0}' is a targeting result and cannot be used in a scoring model (the model would depend on itself)."),
        ["ELIGIBLE_IN_MODEL"] = ("Kelayakan program tidak boleh dipakai di model penilaian.", "Program eligibility cannot be used in a scoring model."),
        ["SELF_REFERENCE"] = ("Aturan merujuk ke dirinya sendiri: {0}.", "The rule refers to itself: {0}."),
        ["UNKNOWN_PROGRAM"] = ("Program '{0}' belum punya aturan kelayakan.", "Program '{0}' has no eligibility rule."),
        ["PROGRAM_CODE"] = ("Kode program harus 2–20 huruf besar, angka, '-' atau '_'.", "A program code must be 2–20 capital letters, digits, '-' or '_'."),
        ["MODEL_KIND"] = ("Jenis model harus 'kriteria', 'skor' atau 'regresi'.", "A model's kind must be 'kriteria', 'skor' or 'regresi'."),
        ["MODEL_CODE"] = ("Kode model harus 2–20 huruf besar, angka, '-' atau '_'.", "A model code must be 2–20 capital letters, digits, '-' or '_'."),
        ["MODEL_REQUIRED"] = ("'{0}' wajib diisi.", "'{0}' is required."),
        ["MODEL_NUMBER"] = ("'{0}' harus angka {1}.", "'{0}' must be a number {1}."),
        ["MODEL_DUPLICATE_CODE"] = ("Kode '{0}' dipakai lebih dari sekali.", "Code '{0}' is used more than once."),
        ["MODEL_TARGET"] = ("Variabel target regresi harus kolom angka keluarga, mis. pengeluaran_perkapita.", "The regression target must be a numeric family field such as pengeluaran_perkapita."),
        ["SAMPLE_TOO_SMALL"] = ("Sampel kalibrasi terlalu kecil: {0} keluarga dengan {1} lengkap, padahal perlu paling sedikit {2} (10 per koefisien).", "The calibration sample is too small: {0} families with complete {1}, at least {2} needed (10 per coefficient)."),
        ["COLLINEAR"] = ("Variabel '{0}' kolinear dengan variabel sebelumnya atau konstan di sampel kalibrasi; hapus atau gabungkan.", "Variable '{0}' is collinear with earlier variables or constant in the calibration sample; remove or merge it."),
        ["TARGET_NOT_POSITIVE"] = ("{0} keluarga di sampel kalibrasi punya {1} ≤ 0 dan tidak bisa dilogaritma; mereka tidak dipakai.", "{0} calibration families have {1} ≤ 0, which has no logarithm; they are left out."),
        ["NO_MODELS"] = ("Tidak ada model penilaian: simpan paling sedikit satu model.", "No scoring model: save at least one model."),
        ["RUN_NOT_FOUND"] = ("Penargetan '{0}' tidak ditemukan.", "Targeting run '{0}' not found."),
        ["EMPTY_REGISTRY"] = ("Data terpadu kosong: impor data keluarga terlebih dahulu.", "The registry is empty: import families first."),
        ["QUOTA"] = ("Kuota harus bilangan bulat > 0.", "The quota must be a whole number > 0."),
        ["PROGRAM_NOT_IN_RUN"] = ("Program '{0}' tidak ada di penargetan ini.", "Program '{0}' is not in this run."),
    };

    public static IReadOnlyCollection<string> Codes => _messages.Keys;

    public static TargetingIssue Issue(string path, string code, params object?[] args)
    {
        var (id, en) = _messages[code];
        return new TargetingIssue(path, code,
            string.Format(CultureInfo.InvariantCulture, id, args),
            string.Format(CultureInfo.InvariantCulture, en, args));
    }
}
