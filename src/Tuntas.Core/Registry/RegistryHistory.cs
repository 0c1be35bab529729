namespace Tuntas.Registry;

/// <summary>Who made a change, when, through which path (<see cref="ChangeSource"/>) and what inside it.</summary>
public sealed record ChangeStamp(string Actor, DateTime At, string Source, string? SourceRef = null, string? SourceFile = null, long? ImportJobId = null);

/// <summary>
/// The history lines of the registry, built in one place for every path that writes it: the import's bulk path and
/// <see cref="RegistryWriter"/>. One line per changed import column (old → new, canonical text), plus event lines:
/// KELUARGA_BARU, ANGGOTA_BARU, ANGGOTA_KELUAR/ANGGOTA_MASUK, STATUS_HIDUP, PECAH_KK, VERIFIKASI (docs/registry.md).
/// </summary>
public static class RegistryHistory
{
    public const string LifeStatusField = "STATUS_HIDUP";

    public static FamilyChange Line(ChangeStamp stamp, long familyId, long? personId, string field, string? before, string? after, long? version) => new()
    {
        FamilyId = familyId,
        PersonId = personId,
        Field = field,
        OldValue = before,
        NewValue = after,
        ChangedAt = stamp.At,
        ChangedBy = stamp.Actor,
        SourceFile = stamp.SourceFile,
        ImportJobId = stamp.ImportJobId,
        Source = stamp.Source,
        SourceRef = stamp.SourceRef,
        FamilyVersion = version,
    };

    /// <summary>One line per import column whose canonical value differs; the NIK of a person never appears as a value.</summary>
    public static void Diff<T>(IReadOnlyList<RegistryColumn<T>> columns, T old, T @new, long familyId, long? personId, ChangeStamp stamp, long? version, List<FamilyChange> into)
    {
        foreach (var column in columns)
        {
            if (column.Import is null)
            {
                continue;
            }
            var before = RegistryColumns.Canonical(column.Get(old));
            var after = RegistryColumns.Canonical(column.Get(@new));
            if (before != after)
            {
                into.Add(Line(stamp, familyId, personId, column.Import, before, after, version));
            }
        }
    }

    /// <summary>A person's life status as one history value: "meninggal 2026-11-02", "pindah 2026-11-02 → 33.14.02.2003".</summary>
    public static string DescribeLife(Person person)
    {
        var text = LifeStatus.Code(person.StatusHidup);
        if (person.StatusTanggal is { } date)
        {
            text += " " + RegistryColumns.Canonical(date);
        }
        if (person.PindahKe is { Length: > 0 } destination)
        {
            text += " → " + destination;
        }
        return text;
    }

    /// <summary>A line when the life status (or its date or destination) changed.</summary>
    public static void DiffLife(Person old, Person @new, long familyId, ChangeStamp stamp, long? version, List<FamilyChange> into)
    {
        var before = DescribeLife(old);
        var after = DescribeLife(@new);
        if (before != after)
        {
            into.Add(Line(stamp, familyId, @new.Id, LifeStatusField, before, after, version));
        }
    }
}
