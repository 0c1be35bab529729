namespace Tuntas.Users;

/// <summary>
/// The user list as the CLI prints it (<c>tuntas users list</c>): one plain query, ordered by user name like the back
/// office. Plain SQL rather than EF because scripts call it often and a cold process pays about a second to build EF's
/// model of the whole schema (docs/cli-startup.md); the columns are the ones <see cref="User"/> maps.
/// </summary>
public sealed class ListUsers(TuntasDatabase database)
{
    public sealed record Row(string UserName, string Role, string? RegionCode, string? Organization, bool Disabled);

    public async Task<IReadOnlyList<Row>> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT user_name, role, region_code, organization, disabled FROM users ORDER BY user_name";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4)));
        }
        return rows;
    }
}
