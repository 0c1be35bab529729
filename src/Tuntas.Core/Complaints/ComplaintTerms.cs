namespace Tuntas.Complaints;

/// <summary>
/// Complaint categories (from the seeds and GERTAK's real request types) with where each goes and how
/// fast it must be answered. Data complaints go to the village government, which keeps the village's data
/// (Permensos 3/2021: verification and validation start at the village); health, education and housing to the
/// agency that runs those services; anything else to the TKPKD secretariat. SLA days are working practice of a posko,
/// not law: a regency changes them here. An overdue complaint is escalated to the TKPKD.
/// </summary>
public static class ComplaintTerms
{
    public const string New = "baru";
    public const string InProgress = "diproses";
    public const string Resolved = "selesai";
    public const string Rejected = "ditolak";

    public static readonly IReadOnlyList<string> Statuses = [New, InProgress, Resolved, Rejected];

    public static bool IsClosed(string status) => status is Resolved or Rejected;

    public const string Village = "desa";
    public const string Agency = "opd";
    public const string Tkpkd = "tkpkd";

    public const string ChannelPortal = "portal";
    public const string ChannelPosko = "posko";
    public const string ChannelApi = "api";

    public sealed record Category(string Code, string Name, string NameEn, string HandlerKind, string? Agency, int SlaDays, bool OpensChangeRequest);

    public static readonly IReadOnlyList<Category> Categories =
    [
        new("tidak-terdaftar", "Tidak terdaftar dalam data", "Not in the data (exclusion)", Village, null, 14, true),
        new("salah-sasaran", "Salah sasaran (penerima tidak layak)", "Wrongly targeted (inclusion)", Village, null, 14, false),
        new("data-salah", "Data salah", "Wrong data", Village, null, 14, true),
        new("bantuan-tidak-diterima", "Bantuan tidak diterima", "Assistance not received", Agency, "Dinas Sosial Kabupaten", 7, false),
        new("biaya-berobat", "Biaya berobat", "Health costs", Agency, "Dinas Kesehatan", 3, false),
        new("jampersal", "Jampersal (persalinan)", "Jampersal (childbirth)", Agency, "Dinas Kesehatan", 3, false),
        new("bpjs", "BPJS Kesehatan / PBI", "BPJS health insurance / PBI", Agency, "Dinas Kesehatan", 7, false),
        new("pendidikan", "Pendidikan", "Education", Agency, "Dinas Pendidikan", 14, false),
        new("rumah", "Rumah tidak layak huni", "Uninhabitable house", Agency, "Dinas Perumahan dan Kawasan Permukiman", 30, false),
        new("lainnya", "Lainnya", "Other", Tkpkd, null, 14, false),
    ];

    public static Category? Find(string? code) => Categories.FirstOrDefault(c => c.Code == (code ?? "").Trim().ToLowerInvariant());

    public const string ChangeOpen = "baru";
    public const string ChangeAccepted = "diterima";
    public const string ChangeRejected = "ditolak";
    public const string SourceComplaint = "pengaduan";
    public const string SourceField = "kunjungan-lapangan";
}
