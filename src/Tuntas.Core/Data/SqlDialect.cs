using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Tuntas.Data;

/// <summary>
/// What a feature's raw SQL says differently on SQLite and PostgreSQL, kept here so that feature files do not branch on
/// the provider (ARCHITECTURE §3, one provider switch): values bound to parameters, a list of ids sent as one parameter,
/// and the functions the two name differently. Only the provider's own fragments are put into a statement's text;
/// every value stays a parameter.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(sqlite: true);
    public static readonly SqlDialect Postgres = new(sqlite: false);

    private readonly bool _sqlite;

    private SqlDialect(bool sqlite) => _sqlite = sqlite;

    public static SqlDialect Of(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? Sqlite : Postgres;

    public static SqlDialect Of(DatabaseFacade database) => database.IsSqlite() ? Sqlite : Postgres;

    /// <summary>The dialect of an open ADO.NET connection (an EF interceptor or a bulk path that holds only its transaction).</summary>
    public static SqlDialect Of(DbConnection connection) => connection is SqliteConnection ? Sqlite : Postgres;

    /// <summary>
    /// A value as a raw command's parameter: SQLite stores booleans as 0/1, dates and times as ISO text (as EF Core's
    /// SQLite provider does, so SQL compares them as text); PostgreSQL takes the CLR value.
    /// </summary>
    public object Value(ColumnKind kind, object? value) => _sqlite ? SqliteValue(kind, value) : value ?? DBNull.Value;

    public object Date(DateOnly value) => Value(ColumnKind.Date, value);

    public object Time(DateTime value) => Value(ColumnKind.Timestamp, value);

    /// <summary>
    /// A list of ids as one parameter (a JSON array read by <c>json_each</c> on SQLite, a <c>bigint[]</c> on PostgreSQL):
    /// EF's own translation of a list sends one parameter per id, minutes on a regency.
    /// </summary>
    public object Ids(IReadOnlyCollection<long> ids) => _sqlite ? JsonSerializer.Serialize(ids) : ids as long[] ?? [.. ids];

    /// <summary>A list of text keys (NIKs, NO_KKs) as one parameter, as <see cref="Ids"/>: read with <see cref="SelectIds"/>.</summary>
    public object Keys(IReadOnlyCollection<string> keys) => _sqlite ? JsonSerializer.Serialize(keys) : keys as string[] ?? [.. keys];

    /// <summary>The ids of an <see cref="Ids"/> (or <see cref="Keys"/>) parameter as a subquery, for <c>… IN (…)</c>.</summary>
    public string SelectIds(string parameter) => _sqlite ? $"SELECT value FROM json_each({parameter})" : $"SELECT unnest({parameter})";

    /// <summary>
    /// Whether <paramref name="column"/> is among the ids of an <see cref="Ids"/> parameter, as a flag a SELECT can read:
    /// SQLite tests <c>IN (json_each)</c>; PostgreSQL left-joins the distinct ids under <paramref name="alias"/> (one join
    /// for the whole statement).
    /// </summary>
    public (string Join, string Test) IdFlag(string column, string parameter, string alias) => _sqlite
        ? ("", $"{column} IN ({SelectIds(parameter)})")
        : ($"LEFT JOIN (SELECT DISTINCT unnest({parameter}) AS id) {alias} ON {alias}.id = {column}", $"{alias}.id IS NOT NULL");

    /// <summary>The 1-based position of <paramref name="part"/> in <paramref name="text"/>, 0 when absent (instr / strpos).</summary>
    public string Position(string text, string part) => $"{(_sqlite ? "instr" : "strpos")}({text}, {part})";

    /// <summary>
    /// The whole days from <paramref name="from"/> to <paramref name="to"/> (two timestamp columns), rounded to the
    /// nearest day, as an integer: SQLite subtracts Julian day numbers of its ISO text, PostgreSQL divides the interval's
    /// seconds. Null where either is null.
    /// </summary>
    public string WholeDaysBetween(string from, string to) => _sqlite
        ? $"CAST(ROUND(julianday({to}) - julianday({from})) AS INTEGER)"
        : $"CAST(ROUND(EXTRACT(EPOCH FROM ({to} - {from})) / 86400) AS BIGINT)";

    /// <summary>
    /// The last id <paramref name="table"/>'s identity has handed out, even to a row since deleted, as a scalar subquery
    /// (null before the first): SQLite's <c>sqlite_sequence</c> of an AUTOINCREMENT table, PostgreSQL's
    /// <c>{table}_id_seq</c>.
    /// </summary>
    public string LastIssuedId(string table) => _sqlite
        ? $"(SELECT seq FROM sqlite_sequence WHERE name = '{table}')"
        : $"(SELECT last_value FROM {table}_id_seq)";

    /// <summary>SQLite stores booleans as 0/1, dates and times as ISO text (as EF Core's SQLite provider does).</summary>
    internal static object SqliteValue(ColumnKind kind, object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        _ => kind == ColumnKind.Int ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value,
    };
}
