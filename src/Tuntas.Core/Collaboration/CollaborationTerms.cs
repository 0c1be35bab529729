using Tuntas.Collaboration.Meetings;
namespace Tuntas.Collaboration;

/// <summary>
/// The vocabulary of collaboration (DOMAIN §8.3: penta/hexa-helix funding in Pekalongan's poverty labs):
/// helixes, the resources actors bring, the kinds of village needs the seeds name, and commitment kinds and statuses.
/// </summary>
public static class CollaborationTerms
{
    public sealed record Term(string Code, string Name, string NameEn);

    public static readonly IReadOnlyList<Term> Helixes =
    [
        new("pemerintah", "Pemerintah (OPD)", "Government (agency)"),
        new("desa", "Pemerintah desa", "Village government"),
        new("swasta", "Swasta / CSR", "Private sector / CSR"),
        new("perguruan-tinggi", "Perguruan tinggi", "University"),
        new("masyarakat", "Masyarakat / LSM", "Community / NGO"),
        new("media", "Media", "Media"),
    ];

    public static readonly IReadOnlyList<Term> Resources =
    [
        new("APBD", "APBD kabupaten", "Regency budget"),
        new("APBDES", "APBDes", "Village budget"),
        new("CSR", "Dana CSR", "CSR funds"),
        new("PT", "Perguruan tinggi (riset, KKN)", "University (research, KKN)"),
        new("SWADAYA", "Swadaya masyarakat", "Community self-help"),
        new("BAZNAS", "BAZNAS / zakat", "BAZNAS / zakat"),
    ];

    public static readonly IReadOnlyList<Term> NeedKinds =
    [
        new("rtlh", "Rumah tidak layak huni", "Uninhabitable house"),
        new("jamban", "Jamban", "Latrine"),
        new("air-bersih", "Air bersih", "Clean water"),
        new("pelatihan", "Pelatihan keterampilan", "Skills training"),
        new("modal-usaha", "Modal usaha", "Business capital"),
        new("biaya-kesehatan", "Biaya kesehatan", "Health costs"),
        new("biaya-sekolah", "Biaya sekolah", "School costs"),
        new("lainnya", "Lainnya", "Other"),
    ];

    public static readonly IReadOnlyList<Term> NeedSources =
    [
        new("musdes", "Musyawarah desa", "Village meeting"),
        new("ppa", "Kajian kemiskinan partisipatif", "Participatory poverty assessment"),
        new("pengaduan", "Pengaduan", "Complaint"),
        new("lainnya", "Lainnya", "Other"),
    ];

    public static readonly IReadOnlyList<Term> CommitmentKinds =
    [
        new("uang", "Uang", "Money"),
        new("barang", "Barang", "In kind"),
        new("keahlian", "Keahlian", "Expertise"),
        new("kkn", "Mahasiswa KKN", "KKN students"),
    ];

    public const string Pledged = "dijanjikan";
    public const string InProgress = "berjalan";
    public const string Delivered = "terealisasi";
    public const string Cancelled = "dibatalkan";

    public static readonly IReadOnlyList<string> CommitmentStatuses = [Pledged, InProgress, Delivered, Cancelled];

    public static readonly IReadOnlyList<Term> CommitmentStatusNames =
    [
        new(Pledged, "Dijanjikan", "Pledged"),
        new(InProgress, "Berjalan", "In progress"),
        new(Delivered, "Terealisasi", "Delivered"),
        new(Cancelled, "Dibatalkan", "Cancelled"),
    ];

    public const string NeedOpen = "terbuka";
    public const string NeedClosed = "tertutup";

    /// <summary>The village lab statuses, worst first.</summary>
    public static readonly IReadOnlyList<Term> LabStatuses =
    [
        new("merah", "Merah", "Red"),
        new("kuning", "Kuning", "Yellow"),
        new("hijau", "Hijau", "Green"),
        new("tuntas", "Tuntas", "Poverty resolved"),
    ];

    public static readonly IReadOnlyList<Term> ActionStatuses =
        [new(MeetingTerms.ActionOpen, "Terbuka", "Open"), new(MeetingTerms.ActionDone, "Selesai", "Done"), new(MeetingTerms.ActionCancelled, "Batal", "Cancelled")];

    /// <summary>
    /// The title of a need as shown outside the family's circle: a need for one named family is titled by its kind only
    /// ("Biaya kesehatan untuk 1 keluarga"), because its free-text title may name the household and its kind may be
    /// health data (UU PDP 27/2022); a village need keeps its title.
    /// </summary>
    public static string PublicNeedTitle(string title, string kind, bool namedFamily) =>
        namedFamily ? Label(NeedKinds, kind, english: false) + " untuk 1 keluarga" : title;

    /// <summary>A code's name in the reader's language; the code itself when unknown (never an empty cell).</summary>
    public static string Label(IReadOnlyList<Term> terms, string? code, bool english) =>
        terms.FirstOrDefault(t => t.Code == code) is { } term ? english ? term.NameEn : term.Name : code ?? "";

    public static bool IsKnown(IReadOnlyList<Term> terms, string? code) => terms.Any(t => t.Code == code);
}
