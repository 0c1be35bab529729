using System.Data.Common;

namespace Tuntas.Targeting.Runs;

/// <summary>
/// Writes a run's per-family results as CSV (UTF-8, comma, header): NO_KK, KODE_DESA, SKOR_PMT, DESIL, KRITERIA_BPS
/// (criteria met), MISKIN_BPS (0/1, empty when undetermined), PROGRAM_ELIGIBLE (codes separated by '|'), then
/// SKOR_INDEKS, KRITERIA_TIDAK_DIKETAHUI, PROGRAM_BELUM_PASTI and JUMLAH_ANGGOTA. No NIK, no names: a run export is
/// about families, and the NO_KK links it back for those allowed to look.
/// </summary>
/// <remarks>
/// A regency's run is a million rows, so each row goes from the reader's columns straight into the writer's buffer: only
/// the columns written are selected, numbers are formatted in place, no object per row (measured against sqlite3 writing
/// the same columns, docs/benchmarks.md "CLI start-up and targeting export").
/// </remarks>
public sealed class ExportRun(TuntasDatabase database)
{
    public static readonly string[] Header =
        ["NO_KK", "KODE_DESA", "SKOR_PMT", "DESIL", "KRITERIA_BPS", "MISKIN_BPS", "PROGRAM_ELIGIBLE", "SKOR_INDEKS", "KRITERIA_TIDAK_DIKETAHUI", "PROGRAM_BELUM_PASTI", "JUMLAH_ANGGOTA"];

    public async Task<long> RunAsync(long runId, Stream output, CancellationToken cancellationToken)
    {
        // Rows are formatted synchronously into a memory chunk, which goes to the output asynchronously: an HTTP
        // response refuses synchronous writes.
        using var chunk = new MemoryStream(1 << 17);
        await using var writer = new StreamWriter(chunk, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.WriteLine(string.Join(',', Header));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The same rows as RunResults.ReadAsync, in family id order; the living members are counted per family.
        command.CommandText = """
            SELECT f.no_kk, r.kode_desa, r.skor_pmt, r.desil, r.kriteria_bps, r.miskin_bps, r.program_eligible, r.skor_indeks,
                   r.kriteria_tidak_diketahui, r.program_undetermined,
            """ + RunResults.LivingMembersFromRun;
        command.CommandTimeout = 0;
        command.AddParameter("@run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            WriteRow(writer, reader);
            rows++;
            if ((rows & 0x3FF) == 0)
            {
                await SendAsync(writer, chunk, output, cancellationToken);
            }
        }
        await SendAsync(writer, chunk, output, cancellationToken);
        return rows;
    }

    private static async Task SendAsync(StreamWriter writer, MemoryStream chunk, Stream output, CancellationToken cancellationToken)
    {
        writer.Flush();
        await output.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length), cancellationToken);
        chunk.SetLength(0);
    }

    private static void WriteRow(StreamWriter writer, DbDataReader reader)
    {
        Span<char> number = stackalloc char[32];
        writer.Write(reader.GetString(0));
        writer.Write(',');
        writer.Write(reader.GetString(1));
        writer.Write(',');
        if (!reader.IsDBNull(2))
        {
            Write(writer, Math.Round(reader.GetDouble(2)), number);
        }
        writer.Write(',');
        WriteInteger(writer, reader, 3, number);
        writer.Write(',');
        WriteInteger(writer, reader, 4, number);
        writer.Write(',');
        WriteInteger(writer, reader, 5, number);
        writer.Write(',');
        writer.Write(reader.GetString(6));
        writer.Write(',');
        if (!reader.IsDBNull(7))
        {
            Write(writer, reader.GetDouble(7), number);
        }
        writer.Write(',');
        WriteInteger(writer, reader, 8, number);
        writer.Write(',');
        writer.Write(reader.GetString(9));
        writer.Write(',');
        WriteInteger(writer, reader, 10, number);
        writer.WriteLine();
    }

    private static void WriteInteger(StreamWriter writer, DbDataReader reader, int column, Span<char> buffer)
    {
        if (reader.IsDBNull(column))
        {
            return;
        }
        reader.GetInt64(column).TryFormat(buffer, out var length, default, CultureInfo.InvariantCulture);
        writer.Write(buffer[..length]);
    }

    private static void Write(StreamWriter writer, double value, Span<char> buffer)
    {
        value.TryFormat(buffer, out var length, default, CultureInfo.InvariantCulture);
        writer.Write(buffer[..length]);
    }
}
