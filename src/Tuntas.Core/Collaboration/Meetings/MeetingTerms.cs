namespace Tuntas.Collaboration.Meetings;

/// <summary>The kinds of meeting the regency holds and the states of an action item, in the users' words.</summary>
public static class MeetingTerms
{
    public static readonly IReadOnlyList<CollaborationTerms.Term> Kinds =
    [
        new("rakor-tkpkd", "Rapat koordinasi TKPKD", "TKPKD coordination meeting"),
        new("musdes", "Musyawarah desa", "Village meeting"),
        new("forum-csr", "Forum CSR", "CSR forum"),
        new("lainnya", "Lainnya", "Other"),
    ];

    public const string ActionOpen = "terbuka";
    public const string ActionDone = "selesai";
    public const string ActionCancelled = "batal";
}
