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
}
