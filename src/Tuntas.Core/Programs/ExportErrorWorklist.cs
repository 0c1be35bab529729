using Tuntas.Registry;

namespace Tuntas.Programs;

/// <summary>
/// Writes the targeting error worklist — by name, by address — as CSV or XLSX for the village meeting (musdes):
/// category, program, village, NO_KK, family head, RT/RW, address, desil. NO_KK is masked unless the caller may see
/// identifiers (<paramref name="fullIdentifiers"/>), as on every other page.
/// </summary>
public sealed class ExportErrorWorklist(TuntasDatabase database)
{
    public static readonly string[] Header = ["KATEGORI", "PROGRAM", "KODE_DESA", "NO_KK", "KEPALA_KELUARGA", "RT", "RW", "ALAMAT", "DESIL"];

    public async Task<int> RunAsync(IReadOnlyList<TargetingErrorReport.WorkItem> items, Stream output, bool xlsx, bool fullIdentifiers, CancellationToken cancellationToken)
    {
        var wanted = items.Select(i => i.FamilyId).ToHashSet();
        var families = new Dictionary<long, (string NoKk, string? Head, string? Rt, string? Rw, string? Alamat)>();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            // A village's worklist is short: look its families up by id; a regency-wide one reads the table once.
            const string select = "SELECT f.id, f.no_kk, p.nama, f.rt, f.rw, f.alamat FROM families f LEFT JOIN persons p ON p.family_id = f.id AND p.hubungan_kk = 1";
            var queries = wanted.Count <= 20_000
                ? wanted.Chunk(500).Select(chunk => select + " WHERE f.id IN (" + string.Join(',', chunk.Select(id => id.ToString(CultureInfo.InvariantCulture))) + ")")
                : [select];
            foreach (var sql in queries)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.CommandTimeout = 0;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    if (wanted.Contains(id) && !families.ContainsKey(id))
                    {
                        string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                        families[id] = (reader.GetString(1), S(2), S(3), S(4), S(5));
                    }
                }
            }
        }
        var rows = items.OrderBy(i => i.KodeDesa, StringComparer.Ordinal).ThenBy(i => i.Category, StringComparer.Ordinal)
            .ThenBy(i => i.Program, StringComparer.Ordinal).ThenBy(i => i.Desil ?? 11).ThenBy(i => i.FamilyId)
            .Select(i =>
            {
                var f = families.GetValueOrDefault(i.FamilyId);
                return new object?[]
                {
                    i.Category, i.Program ?? "", i.KodeDesa, f.NoKk is null ? "" : fullIdentifiers ? f.NoKk : NoKk.Mask(f.NoKk),
                    f.Head ?? "", f.Rt ?? "", f.Rw ?? "", f.Alamat ?? "", i.Desil,
                };
            });
        return await TableExport.WriteAsync(output, Header, rows, xlsx, "Daftar kerja", cancellationToken);
    }
}
