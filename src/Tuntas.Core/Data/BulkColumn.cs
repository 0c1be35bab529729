namespace Tuntas.Data;

/// <summary>How a value is stored: drives the SQLite and PostgreSQL bulk writers, parameter values and canonical text.</summary>
public enum ColumnKind
{
    Long,
    Int,
    Double,
    Bool,
    Text,
    Date,
    Timestamp,
}

/// <summary>
/// One column a bulk writer fills: its SQL name, how it is stored and how to read it from a row. The registry's columns
/// (<see cref="Registry.RegistryColumn{T}"/>) add their import-format name and a setter; other tables written in bulk
/// (targeting results, the UPK loan book, demo enrollments) need only this. The bulk writers read a value unboxed
/// (<see cref="Read"/>); <see cref="Get"/> boxes it for the paths that compare or show one value at a time.
/// </summary>
public record BulkColumn<T>(string Sql, ColumnKind Kind, Func<T, ColumnValue> Read)
{
    public object? Get(T row) => Read(row).ToObject();
}
