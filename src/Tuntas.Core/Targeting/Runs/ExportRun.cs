using System.Globalization;
using System.Text;
using Tuntas.Data;

namespace Tuntas.Targeting.Runs;

/// <summary>
/// Writes a run's per-family results as CSV (UTF-8, comma, header): NO_KK, KODE_DESA, SKOR_PMT, DESIL, KRITERIA_BPS
/// (criteria met), MISKIN_BPS (0/1, empty when undetermined), PROGRAM_ELIGIBLE (codes separated by '|'), then
/// SKOR_INDEKS, KRITERIA_TIDAK_DIKETAHUI, PROGRAM_BELUM_PASTI and JUMLAH_ANGGOTA. No NIK, no names: a run export is
/// about families, and the NO_KK links it back for those allowed to look.
/// </summary>
public sealed class ExportRun(TuntasDatabase database)
{
    public static readonly string[] Header =
        ["NO_KK", "KODE_DESA", "SKOR_PMT", "DESIL", "KRITERIA_BPS", "MISKIN_BPS", "PROGRAM_ELIGIBLE", "SKOR_INDEKS", "KRITERIA_TIDAK_DIKETAHUI", "PROGRAM_BELUM_PASTI", "JUMLAH_ANGGOTA"];

    public async Task<long> RunAsync(long runId, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Header));
        long rows = 0;
        var line = new StringBuilder(160);
        await foreach (var r in RunResults.ReadAsync(database, runId, cancellationToken))
        {
            line.Clear()
                .Append(r.NoKk).Append(',').Append(r.KodeDesa).Append(',')
                .Append(r.SkorPmt is { } pmt ? Math.Round(pmt).ToString(CultureInfo.InvariantCulture) : "").Append(',')
                .Append(r.Desil?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.KriteriaBps?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.MiskinBps?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.ProgramEligible).Append(',')
                .Append(r.SkorIndeks?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.KriteriaTidakDiketahui?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.ProgramUndetermined).Append(',')
                .Append(r.Members.ToString(CultureInfo.InvariantCulture));
            await writer.WriteLineAsync(line, cancellationToken);
            rows++;
        }
        return rows;
    }
}
