using System.Data.Common;
using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// A person registered with a temporary NIK (<c>0…</c>: a newborn or a newcomer the village entered before Dukcapil
/// issued the number, DOMAIN §4.1) comes back in a later file with the Dukcapil NIK. Keyed by NIK, the import would
/// register a second person and leave the first one in the family (it did: <c>MEMBER_NOT_IN_FILE</c> beside
/// <c>DUPLICATE_SUSPECT</c>, score 1.00). OpenSID gives the number to the same record (<c>tweb_penduduk.nik</c> is updated
/// in place); so does this: a file row with a NIK the registry does not hold takes over the registered person of its
/// own family who has a temporary NIK the file does not list, the same sex, the same birth date and the same name
/// (the spelling-tolerant key, or one edit from it). The person keeps its id, history, enrollments and visits; the
/// change is one <c>NIK</c> line in the family's history and the warning <c>NIK_TEMPORARY_REPLACED</c>.
/// Anything less certain (another family, another birth date) stays a new person with the duplicate check's warning,
/// for a person to merge (Linkage/MergePersons.cs).
/// </summary>
internal sealed class TemporaryNikReplacements
{
    private readonly record struct Registered(long Id, string Nik, string NameKey, DateOnly BirthDate, int Sex, int Status);

    /// <summary>What a file row with a NIK the registry does not hold is: <see cref="Claimed"/> a registered person of
    /// its family by their temporary NIK, the same person as an earlier row that still lists that temporary NIK
    /// (<see cref="ListedAtRow"/>), or neither (a new person).</summary>
    public readonly record struct Match(long PersonId, string TemporaryNik, int Status, long? ListedAtRow)
    {
        public bool Claimed => ListedAtRow is null;
    }

    /// <summary>Registered persons with a temporary NIK, by family id.</summary>
    private readonly Dictionary<long, List<Registered>> _byFamily = [];

    /// <summary>The temporary NIK taken over → the file row that took it.</summary>
    private readonly Dictionary<long, long> _claimedAtRow = [];

    /// <summary>The new NIK → the registered person's id (the writer finds the person by it).</summary>
    private readonly Dictionary<long, long> _personOfNewNik = [];

    public bool Any => _byFamily.Count > 0;

    /// <summary>A temporary NIK replaced before (the history's <c>NIK</c> line): the person who now has the Dukcapil NIK.</summary>
    public readonly record struct Replaced(string Temporary, string Nik, string NoKk, string Name, DateOnly? BirthDate);

    /// <summary>Temporary NIKs the registry gave up for a Dukcapil NIK, by the temporary NIK.</summary>
    private readonly Dictionary<long, Replaced> _replaced = [];

    public IEnumerable<Replaced> ReplacedBefore => _replaced.Values;

    /// <summary>The person a temporary NIK was replaced for, when it was: a file that still carries it is older than the
    /// registry (an OpenSID not yet given the Dukcapil NIK). Null for a temporary NIK never replaced.</summary>
    public Replaced? ReplacedFor(long temporaryNik) => _replaced.TryGetValue(temporaryNik, out var replaced) ? replaced : null;

    /// <summary>Reads the registry's temporary NIKs: they all begin with 0, one range of the NIK index.</summary>
    public static async Task<TemporaryNikReplacements> LoadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var replacements = new TemporaryNikReplacements();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, family_id, nik, nama_kunci, tanggal_lahir, jenis_kelamin, status_hidup FROM persons WHERE nik >= '0' AND nik < '1'";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RegistryRows.ReadValue(reader, 4, ColumnKind.Date) is not DateOnly birth)
            {
                continue;
            }
            var familyId = reader.GetInt64(1);
            if (!replacements._byFamily.TryGetValue(familyId, out var members))
            {
                replacements._byFamily[familyId] = members = [];
            }
            members.Add(new Registered(reader.GetInt64(0), reader.GetString(2), reader.GetString(3), birth,
                Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture)));
        }
        await reader.DisposeAsync();
        // The history keeps every replacement (the old and new value of its NIK line), the person holds the new NIK.
        command.CommandText = "SELECT c.old_value, p.nik, f.no_kk, p.nama, p.tanggal_lahir FROM family_changes c "
            + "JOIN persons p ON p.id = c.person_id JOIN families f ON f.id = p.family_id "
            + "WHERE c.field = 'NIK' AND c.old_value >= '0' AND c.old_value < '1' AND p.nik = c.new_value";
        await using var replaced = await command.ExecuteReaderAsync(cancellationToken);
        while (await replaced.ReadAsync(cancellationToken))
        {
            var temporary = replaced.GetString(0);
            if (temporary.Length == 16 && long.TryParse(temporary, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            {
                replacements._replaced[key] = new Replaced(temporary, replaced.GetString(1), replaced.GetString(2), replaced.GetString(3),
                    (DateOnly?)RegistryRows.ReadValue(replaced, 4, ColumnKind.Date));
            }
        }
        return replacements;
    }

    /// <summary>
    /// The registered person of <paramref name="familyId"/> whom the file's <paramref name="person"/> (a NIK the registry
    /// does not hold) is, by a temporary NIK: the one member with the same sex, birth date and name key, or else the one
    /// member a letter away. Two who fit (twins named a letter apart: "Nur Laila", "Nur Laili") are not told apart by a
    /// guess: no match, and the row is a new person with the duplicate check's warning. Claimed for this row unless an
    /// earlier row lists that temporary NIK (then <see cref="Match.ListedAtRow"/>: the file names the person twice).
    /// </summary>
    public Match? Find(long familyId, Person person, long row, LongIntMap nikRows)
    {
        if (person.NikSementara || !_byFamily.TryGetValue(familyId, out var members))
        {
            return null;
        }
        var key = NameKey.For(person.Nama);
        var fitting = members.Where(m => m.BirthDate == person.TanggalLahir && m.Sex == person.JenisKelamin
            && !_claimedAtRow.ContainsKey(long.Parse(m.Nik, CultureInfo.InvariantCulture))).ToList();
        var same = fitting.Where(m => m.NameKey == key).ToList();
        if (same.Count == 0)
        {
            same = [.. fitting.Where(m => FindFamilies.AllowedEdits(key) >= 1 && NameDistance.Edits(m.NameKey, key) <= 1)];
        }
        if (same.Count != 1)
        {
            return null;
        }
        var member = same[0];
        var temporary = long.Parse(member.Nik, CultureInfo.InvariantCulture);
        if (nikRows.TryGetValue(temporary, out var listedAt))
        {
            return new Match(member.Id, member.Nik, member.Status, listedAt);
        }
        _claimedAtRow[temporary] = row;
        _personOfNewNik[long.Parse(person.Nik, CultureInfo.InvariantCulture)] = member.Id;
        return new Match(member.Id, member.Nik, member.Status, null);
    }

    /// <summary>The row that took over this temporary NIK, or null.</summary>
    public long? ClaimedAtRow(long temporaryNik) => _claimedAtRow.TryGetValue(temporaryNik, out var row) ? row : null;

    public bool IsClaimed(long temporaryNik) => _claimedAtRow.ContainsKey(temporaryNik);

    /// <summary>The registered person that a new NIK of the file took over, or null.</summary>
    public long? PersonOf(long newNik) => _personOfNewNik.TryGetValue(newNik, out var id) ? id : null;
}
