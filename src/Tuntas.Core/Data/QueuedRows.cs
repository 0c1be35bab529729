using System.Data.Common;
using Npgsql;

namespace Tuntas.Data;

/// <summary>
/// The new rows of one table that a streaming writer gathers until its next write (<see cref="BulkWriteSteps.RowsPerInsertChunk"/>).
/// SQLite's turn is one batch, written at once. PostgreSQL's is 50,000 rows, because a COPY holds the connection for
/// one table: those rows are encoded into the binary COPY format as they arrive, so the row objects die young instead
/// of waiting for their turn as objects. Held as objects, they made the collector's pauses 3.5 s of a 1,000,000-person
/// first load (docs/benchmarks.md, "Import"). A turn taken (<see cref="TakeTurn"/>) can be written while the next one
/// is gathered.
/// </summary>
public abstract class QueuedRows<T>
{
    public static QueuedRows<T> For(TuntasDatabase database, string table, IReadOnlyList<BulkColumn<T>> columns) =>
        database.IsSqlite ? new SqliteQueuedRows<T>(table, columns) : new PostgresQueuedRows<T>(table, columns);

    /// <summary>Rows gathered since the last turn was taken.</summary>
    public int Count { get; protected set; }

    public abstract void Add(T row);

    /// <summary>Hands over the rows gathered so far, to be written by <see cref="Turn.WriteAsync"/>, and gathers anew.</summary>
    public abstract Turn TakeTurn();

    public abstract class Turn
    {
        public abstract Task WriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
    }
}

internal sealed class SqliteQueuedRows<T>(string table, IReadOnlyList<BulkColumn<T>> columns) : QueuedRows<T>
{
    private List<T> _rows = [];

    public override void Add(T row)
    {
        _rows.Add(row);
        Count++;
    }

    public override Turn TakeTurn()
    {
        var turn = new Rows(_rows, table, columns);
        _rows = [];
        Count = 0;
        return turn;
    }

    private sealed class Rows(List<T> rows, string table, IReadOnlyList<BulkColumn<T>> columns) : Turn
    {
        public override async Task WriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return;
            }
            await using var insert = new SqliteBulkInsert<T>(connection, table, columns);
            foreach (var row in rows)
            {
                await insert.AddAsync(row, cancellationToken);
            }
        }
    }
}

internal sealed class PostgresQueuedRows<T>(string table, IReadOnlyList<BulkColumn<T>> columns) : QueuedRows<T>
{
    private MemoryStream _encoded = new();
    private PostgresBulkInsert<T>? _encoder;

    /// <summary>The memory of the turn last written, for the next one (two in use at most: one written, one gathered).</summary>
    private MemoryStream? _spare;

    public override void Add(T row)
    {
        _encoder ??= PostgresBulkInsert<T>.EncodingInto(_encoded, columns);
        _encoder.Add(row);
        Count++;
    }

    public override Turn TakeTurn()
    {
        if (_encoder is null)
        {
            return new Encoded(null, this);
        }
        _encoder.EndRows();
        var turn = new Encoded(_encoded, this);
        _encoded = Interlocked.Exchange(ref _spare, null) ?? new MemoryStream();
        _encoded.SetLength(0);
        _encoder = null;
        Count = 0;
        return turn;
    }

    private sealed class Encoded(MemoryStream? rows, PostgresQueuedRows<T> owner) : Turn
    {
        public override async Task WriteAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        {
            if (rows is null)
            {
                return;
            }
            var copy = await PostgresBulkInsert<T>.BeginCopyAsync((NpgsqlConnection)connection, owner.Table, owner.Columns, cancellationToken);
            try
            {
                await copy.WriteAsync(rows.GetBuffer().AsMemory(0, (int)rows.Length), cancellationToken);
            }
            catch
            {
                // Never end a COPY whose rows did not all arrive: cancelled, the transaction then rolls back.
                await copy.CancelAsync();
                await copy.DisposeAsync();
                throw;
            }
            // Disposing ends the COPY and reads the server's answer (a constraint violated by a row surfaces here).
            await copy.DisposeAsync();
            Interlocked.Exchange(ref owner._spare, rows);
        }
    }

    private string Table => table;

    private IReadOnlyList<BulkColumn<T>> Columns => columns;
}
