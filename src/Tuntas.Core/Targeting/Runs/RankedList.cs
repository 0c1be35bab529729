namespace Tuntas.Targeting.Runs;

/// <summary>
/// The ranked list of a quota allocation as a CSV, one family per line in village rank order, with whether the quota
/// selected it: the same file from <c>tuntas targeting quota --out</c> and the run page's download, so a village
/// compares one list whichever way the regency made it.
/// </summary>
public static class RankedList
{
    public const string Header = "KODE_DESA,PERINGKAT_DESA,NO_KK,DESIL,SKOR_PMT,SKOR_INDEKS,TERPILIH";

    public static async Task WriteAsync(AllocateQuota.Outcome outcome, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(Header);
        foreach (var f in outcome.Families)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{f.KodeDesa},{f.RankInVillage},{f.NoKk},{f.Desil},{(f.SkorPmt is { } s ? Math.Round(s) : null)},{f.SkorIndeks},{(f.Selected ? 1 : 0)}").AsMemory(), cancellationToken);
        }
    }
}
