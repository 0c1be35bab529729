using System.Globalization;
using Tuntas.Data;

namespace Tuntas.Programs;

/// <summary>Open enrollments (enrolled or suspended) as (program code, family, person) rows, streamed in one query.</summary>
internal static class OpenEnrollments
{
    public readonly record struct Row(string Program, long FamilyId, long? PersonId, string Status);

    public static async Task<List<Row>> ReadAsync(TuntasDatabase database, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT p.code, e.family_id, e.person_id, e.status FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.status <> 'keluar'";
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetInt64(1),
                reader.IsDBNull(2) ? null : Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3)));
        }
        return rows;
    }
}
