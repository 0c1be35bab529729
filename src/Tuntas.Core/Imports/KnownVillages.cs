using System.Data.Common;

namespace Tuntas.Imports;

/// <summary>
/// Which village codes of a file the regions table knows. The table holds all of Indonesia's ≈ 84,000 villages while a
/// file names the villages of one or a few regencies, so the villages are read one regency at a time, when a file first
/// names it: loading them all cost a ten-row import about a tenth of a second, most of its own work (docs/cli-startup.md).
/// Asked while pass 1 reads the file; <paramref name="onConnection"/> runs the read where the import's connection is free
/// (on the writer's thread while a first load is written as it is validated).
/// </summary>
internal sealed class KnownVillages(DbConnection connection, DbTransaction transaction, Action<Action>? onConnection = null)
{
    private readonly HashSet<string> _villages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _regenciesRead = new(StringComparer.Ordinal);

    /// <summary>A dotted village code (<c>33.14.01.2001</c>) the regions table holds as a village.</summary>
    public bool Contains(string code)
    {
        if (code.Length < 6 || code[2] != '.' || code[5] != '.')
        {
            return false;
        }
        var regency = code[..6];
        if (_regenciesRead.Add(regency))
        {
            if (onConnection is null)
            {
                Read(regency);
            }
            else
            {
                onConnection(() => Read(regency));
            }
        }
        return _villages.Contains(code);
    }

    private void Read(string regencyPrefix)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT code FROM regions WHERE level = 'village' AND substr(code, 1, 6) = @prefix";
        command.AddParameter("@prefix", regencyPrefix);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _villages.Add(reader.GetString(0));
        }
    }
}
