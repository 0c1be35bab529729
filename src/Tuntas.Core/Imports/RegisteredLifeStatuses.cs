using System.Data.Common;
using Tuntas.Data;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// Who recorded the registry's dead, moved and missing persons, for a file that has them living
/// (<c>ImportFamilies.LifeStatusOfFile</c>): a status a file recorded, a later file may undo; one recorded by a
/// person (back office, change request, field visit, musdes) only a person undoes. Read for the persons who are not
/// living, through the index of those (<c>ix_persons_not_living</c>), only when the file carries STATUS_DASAR.
/// </summary>
internal sealed class RegisteredLifeStatuses
{
    public readonly record struct Recorded(string Source, DateOnly? Date);

    private readonly Dictionary<long, Recorded> _otherwise = [];
    private readonly HashSet<long> _kept = [];

    public static async Task<RegisteredLifeStatuses> LoadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var statuses = new RegisteredLifeStatuses();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT nik, status_sumber, status_tanggal FROM persons WHERE status_hidup <> {LifeStatus.Hidup}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var source = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (source != ChangeSource.File)
            {
                // No source: recorded before the registry kept one; a person's decision, as far as anyone can tell.
                statuses._otherwise[long.Parse(reader.GetString(0), CultureInfo.InvariantCulture)] =
                    new Recorded(source ?? "-", (DateOnly?)RegistryRows.ReadValue(reader, 2, ColumnKind.Date));
            }
        }
        return statuses;
    }

    /// <summary>How the registry's status of this NIK was recorded, when not by a file; null otherwise.</summary>
    public Recorded? RecordedOtherwise(long nik) => _otherwise.TryGetValue(nik, out var recorded) ? recorded : null;

    /// <summary>The file's "living" is not written for this NIK: the registry's status stays.</summary>
    public void Keep(long nik) => _kept.Add(nik);

    public bool IsKept(long nik) => _kept.Contains(nik);
}
