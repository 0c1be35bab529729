namespace Tuntas.Verivali;

/// <summary>
/// The codes of the verivali cycle (Permensos 3/2025 on updating DTSEN; DOMAIN §2.1: village verification, musdes with a
/// signed berita acara, Dinas Sosial validation, upload to the ministry).
/// </summary>
public static class VerivaliTerms
{
    // Why a family is on the worklist.
    public const string ReasonInclusion = "inklusi";
    public const string ReasonExclusion = "eksklusi";
    public const string ReasonComplaint = "pengaduan";
    public const string ReasonChangeRequest = "usulan-perubahan";
    public const string ReasonNotVerified = "belum-verifikasi-12-bulan";
    public const string ReasonDuplicate = "dugaan-ganda";
    public const string ReasonNewFamily = "usulan-baru";

    /// <summary>Where the suspected-duplicates search of a period stands (<see cref="SearchDuplicatesAtOpening"/>).</summary>
    public const string DuplicatesPending = "menunggu";
    public const string DuplicatesDone = "selesai";
    public const string DuplicatesFailed = "gagal";

    public static readonly IReadOnlyList<string> Reasons =
        [ReasonInclusion, ReasonExclusion, ReasonComplaint, ReasonChangeRequest, ReasonNotVerified, ReasonDuplicate, ReasonNewFamily];

    // Where a line is.
    public const string Open = "baru";
    public const string Visited = "dikunjungi";
    public const string Reviewed = "ditinjau";
    public const string Decided = "diputuskan";
    public const string Applied = "diterapkan";

    // What the visit found.
    public const string Unchanged = "tetap";
    public const string Corrected = "perbaikan-data";
    public const string NotEligible = "tidak-layak";
    public const string Died = "meninggal";
    public const string Moved = "pindah";
    public const string NotFound = "tidak-ditemukan";
    public const string NewFamily = "usulan-baru";

    public static readonly IReadOnlyList<string> Outcomes = [Unchanged, Corrected, NotEligible, Died, Moved, NotFound, NewFamily];

    // The musdes' decision per line.
    public const string Agree = "setuju";
    public const string Reject = "tolak";
    public const string Postpone = "tunda";

    public static readonly IReadOnlyList<string> Decisions = [Agree, Reject, Postpone];

    // Apply results.
    public const string ResultApplied = "diterapkan";
    public const string ResultConflict = "konflik";
    public const string ResultInvalid = "ditolak-aturan";

    /// <summary>How the proposal to the ministry counts a decided line: an addition, a removal or a change.</summary>
    public static string ProposalKind(string? outcome) => outcome switch
    {
        NewFamily => "penambahan",
        NotEligible or Died or Moved or NotFound => "pengurangan",
        Corrected => "perubahan",
        _ => "tetap",
    };
}
