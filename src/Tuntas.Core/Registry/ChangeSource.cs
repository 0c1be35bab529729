namespace Tuntas.Registry;

/// <summary>Which path changed the registry; recorded on every history line (<see cref="FamilyChange.Source"/>).</summary>
public static class ChangeSource
{
    public const string File = "berkas";
    public const string Editor = "editor";
    public const string ChangeRequest = "usulan";
    public const string Musdes = "musdes";
    public const string FieldVisit = "kunjungan";
    public const string Merge = "gabung";

    public static readonly IReadOnlyList<string> All = [File, Editor, ChangeRequest, Musdes, FieldVisit, Merge];

    /// <summary>A source as a user reads it, in Bahasa Indonesia and English ("editor" is the family page).</summary>
    public static (string Id, string En) Words(string? source) => source switch
    {
        File => ("berkas impor", "an import file"),
        Editor => ("halaman keluarga", "the family page"),
        ChangeRequest => ("usulan perubahan", "a change request"),
        Musdes => ("musdes", "the musdes"),
        FieldVisit => ("kunjungan lapangan", "a field visit"),
        Merge => ("penggabungan duplikat", "a duplicate merge"),
        _ => ("petugas", "an operator"),
    };
}
