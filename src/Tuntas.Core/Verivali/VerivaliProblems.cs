namespace Tuntas.Verivali;

/// <summary>Why a verivali step was refused: the <see cref="Problem"/> of each stable code, its text in Bahasa Indonesia and English.</summary>
public static class VerivaliProblems
{
    private static readonly Dictionary<string, (string Id, string En)> _texts = new(StringComparer.Ordinal)
    {
        ["PERIOD_NAME"] = ("Nama periode 3–100 karakter, mis. \"Semester I 2027\".", "A period name of 3–100 characters, e.g. \"Semester I 2027\"."),
        ["PERIOD_OPEN"] = ("Masih ada periode verivali yang terbuka; tutup dulu.", "A verivali period is still open; close it first."),
        ["PERIOD_NOT_FOUND"] = ("Periode verivali ini tidak ada.", "There is no such verivali period."),
        ["PERIOD_CLOSED"] = ("Periode verivali ini sudah ditutup.", "This verivali period is closed."),
        ["LINE_NOT_FOUND"] = ("Baris daftar kerja tidak ditemukan atau di luar wilayah Anda.", "Worklist line not found or outside your area."),
        ["NOT_ASSIGNED"] = ("Baris ini tidak ditugaskan kepada Anda.", "This line is not assigned to you."),
        ["ASSIGNEE"] = ("Petugas harus pendamping atau relawan yang terdaftar.", "The assignee must be a registered facilitator or relawan."),
        ["ASSIGNEE_AREA"] = ("Baris #{0} ada di desa di luar wilayah tugas petugas itu; tugaskan pendamping desa tersebut, atau tambahkan desa itu ke wilayahnya lebih dulu.",
            "Line #{0} is in a village outside that assignee's area; assign the village's own facilitator, or add the village to their area first."),
        ["OUTCOME_EVENT"] = ("Hasil '{0}' perlu anggota yang dicatat {0}, dengan tanggalnya.", "The outcome '{0}' needs a member recorded as {0}, with the date."),
        ["OUTCOME"] = ("Hasil kunjungan tidak dikenal.", "Unknown visit outcome."),
        ["LINE_STATE"] = ("Langkah ini tidak dapat dilakukan pada status baris sekarang ({0}).", "This step is not possible in the line's current status ({0})."),
        ["DECISION"] = ("Keputusan harus setuju, tolak atau tunda.", "The decision must be setuju, tolak or tunda."),
        ["MUSDES_CLOSED"] = ("Musdes desa ini sudah ditutup; keputusan tidak dapat diubah.", "This village's musdes is closed; decisions can no longer change."),
        ["MUSDES_UNDECIDED"] = ("Masih ada {0} baris tanpa keputusan; musdes belum dapat ditutup.", "{0} lines have no decision yet; the musdes cannot be closed."),
        ["MUSDES_SCAN"] = ("Unggah pindaian berita acara yang ditandatangani sebelum menutup musdes.", "Upload the signed berita acara scan before closing the musdes."),
        ["DESA_OUTSIDE"] = ("Desa ini di luar wilayah Anda.", "This village is outside your area."),
        ["MUSDES_DONE"] = ("Musdes desa ini untuk periode ini sudah ditutup; kunjungan, tinjauan atau usulan baru masuk periode verivali berikutnya.",
            "This village's musdes of this period is closed; a new visit, review or proposal belongs to the next verivali period."),
        ["MUSDES_DATE"] = ("Tanggal musdes {0} belum tiba; isi tanggal musdes diadakan.", "The musdes date {0} is still to come; give the date the musdes was held."),
        ["NO_OPEN_PERIOD"] = ("Tidak ada periode verivali yang terbuka.", "No verivali period is open."),
        ["MEMBERS_REQUIRED"] = ("Usulan keluarga baru perlu paling sedikit satu anggota dan satu kepala keluarga.", "A proposed new family needs at least one member and one head of family."),
        ["NO_KK_KNOWN"] = ("NO_KK ini sudah ada di registri.", "This NO_KK is already in the registry."),
        ["PHOTO_COUNT"] = ("Paling banyak {0} foto per baris.", "At most {0} photos per line."),
        ["PHOTO_TYPE"] = ("Foto kunjungan harus JPEG atau PNG.", "A visit photo must be a JPEG or PNG."),
        ["MUSDES_NOT_CLOSED"] = ("Keputusan diterapkan setelah musdes desa ditutup.", "Decisions are applied after the village's musdes is closed."),
    };

    public static Problem Of(string code, params object?[] args)
    {
        var (id, en) = _texts.TryGetValue(code, out var t) ? t : (code, code);
        return new Problem("", code, string.Format(System.Globalization.CultureInfo.InvariantCulture, id, args),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, en, args));
    }
}
