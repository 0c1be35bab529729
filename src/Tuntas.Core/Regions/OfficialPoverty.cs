namespace Tuntas.Regions;

/// <summary>
/// The regency's official poverty rate as BPS publishes it: P0, the share of PERSONS living below the expenditure poverty
/// line (garis kemiskinan), estimated from the March Susenas survey, from the shipped <c>Regions/Data/poverty_stats.csv</c>
/// (its sources in SOURCES.md). A page that shows a poverty figure of ours (families poor by the 14 BPS criteria, desil
/// 1–4 of the targeting model) shows this one beside it, labelled as the different measure it is: it counts persons, not
/// families, and comes from a sample survey, not from the registry, so the two never agree and neither is a miscount.
/// </summary>
public static class OfficialPoverty
{
    /// <param name="Percent">P0 in percent of the regency's population.</param>
    /// <param name="ReferencePeriod">As BPS names it, e.g. "Maret 2025".</param>
    public sealed record Figure(string RegencyCode, string RegencyName, int Year, string ReferencePeriod, double Percent);

    private const string Indicator = "persentase_penduduk_miskin";

    private static readonly Lazy<IReadOnlyList<Figure>> _all = new(Read);

    /// <summary>The newest P0 shipped for <paramref name="regencyCode"/> (dotted, e.g. <c>33.14</c>), or null when none is.</summary>
    public static Figure? Latest(string regencyCode)
    {
        var code = RegionCode.ToDotted(regencyCode) ?? regencyCode;
        return _all.Value.Where(f => f.RegencyCode == code).MaxBy(f => f.Year);
    }

    private static IReadOnlyList<Figure> Read()
    {
        const string Resource = "Tuntas.Regions.Data.poverty_stats.csv";
        using var stream = typeof(OfficialPoverty).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"{Resource} is not embedded");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        var figures = new List<Figure>();
        while (reader.ReadLine() is { } line)
        {
            // code,bps_code,name,level,indicator,year,reference_period,value,unit,…
            var f = Csv.SplitLine(line, ',');
            if (f.Count < 8 || f[4] != Indicator || !int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                || !double.TryParse(f[7], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                continue;
            }
            // "Maret 2024 (BPS kab/kota P0)": the period as BPS names it, without the file's own note.
            var period = f[6].Split(" (", 2)[0].Trim();
            figures.Add(new Figure(f[0], f[2], year, period.Length > 0 ? period : year.ToString(CultureInfo.InvariantCulture), percent));
        }
        return figures;
    }
}
