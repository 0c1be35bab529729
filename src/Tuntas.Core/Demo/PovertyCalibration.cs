namespace Tuntas.Demo;

/// <summary>
/// BPS poverty figures (P0 and garis kemiskinan, March Susenas) for a regency, and the calibration that makes the
/// synthetic registry reproduce P0 exactly. Sources, in order of precedence: the shipped
/// <c>Regions/Data/poverty_stats.csv</c> (see its SOURCES.md), then <c>Demo/garis_kemiskinan.csv</c> (DOMAIN.md §7,
/// with a source per row).
/// </summary>
internal static class PovertyCalibration
{
    public sealed record Stats(int Year, double P0Percent, double PovertyLine);

    /// <summary>All years with both P0 and GK for <paramref name="regencyCode"/> (dotted, e.g. <c>33.14</c>), by year.</summary>
    public static SortedDictionary<int, Stats> ForRegency(string regencyCode)
    {
        var p0 = new Dictionary<int, double>();
        var gk = new Dictionary<int, double>();
        foreach (var f in ReadCsv("Tuntas.Regions.Data.poverty_stats.csv"))
        {
            // code,bps_code,name,level,indicator,year,reference_period,value,...
            if (f[0] != regencyCode)
            {
                continue;
            }
            var year = int.Parse(f[5], CultureInfo.InvariantCulture);
            var value = double.Parse(f[7], CultureInfo.InvariantCulture);
            if (f[4] == "persentase_penduduk_miskin")
            {
                p0[year] = value;
            }
            else if (f[4] == "garis_kemiskinan")
            {
                gk[year] = value;
            }
        }
        foreach (var f in ReadCsv("Tuntas.Demo.garis_kemiskinan.csv"))
        {
            // code,name,year,garis_kemiskinan,p0,source
            if (f[0] != regencyCode)
            {
                continue;
            }
            var year = int.Parse(f[2], CultureInfo.InvariantCulture);
            gk.TryAdd(year, double.Parse(f[3], CultureInfo.InvariantCulture));
            if (f[4].Length > 0)
            {
                p0.TryAdd(year, double.Parse(f[4], CultureInfo.InvariantCulture));
            }
        }
        var result = new SortedDictionary<int, Stats>();
        foreach (var (year, line) in gk)
        {
            if (p0.TryGetValue(year, out var percent))
            {
                result[year] = new Stats(year, percent, line);
            }
        }
        return result;
    }

    private static IEnumerable<List<string>> ReadCsv(string resource)
    {
        using var stream = typeof(PovertyCalibration).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded");
        using var reader = new StreamReader(stream);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return Csv.SplitLine(line, ',');
            }
        }
    }

    /// <summary>
    /// Person-weighted cut: sorts families by their uncalibrated log consumption <paramref name="score"/> and returns the
    /// score at or below which families are poor, chosen so the share of PERSONS in those families is as close as
    /// possible to <paramref name="targetShare"/> (BPS P0 counts persons, not households). Returns the achieved share.
    /// With n families the error is at most half the largest family's share of persons (≈ 0.005 pp at 20,000 families).
    /// </summary>
    public static (double Cut, bool NonePoor, double Achieved) PersonWeightedCut(double[] score, byte[] size, double targetShare)
    {
        var n = score.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var keys = (double[])score.Clone();
        Array.Sort(keys, order);
        long total = 0;
        foreach (var s in size)
        {
            total += s;
        }
        var target = targetShare * total;
        // k = number of poorest families counted poor; choose the k whose person count is closest to the target.
        long cumulative = 0;
        var bestK = 0;
        var bestGap = target;
        for (var k = 1; k <= n; k++)
        {
            cumulative += size[order[k - 1]];
            var gap = Math.Abs(cumulative - target);
            if (gap < bestGap)
            {
                bestGap = gap;
                bestK = k;
            }
            if (cumulative > target)
            {
                break;
            }
        }
        // Families with equal score sit on the same side of the cut; with continuous draws ties do not occur in practice.
        long poorPersons = 0;
        if (bestK > 0)
        {
            var cut = keys[bestK - 1];
            for (var i = 0; i < n; i++)
            {
                if (score[i] <= cut)
                {
                    poorPersons += size[i];
                }
            }
            return (cut, false, (double)poorPersons / total);
        }
        return (double.NegativeInfinity, true, 0);
    }

    /// <summary>Standard normal CDF (Abramowitz–Stegun 7.1.26 erf approximation, |error| &lt; 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * z);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /// <summary>Inverse standard normal CDF (Acklam's rational approximation, relative error &lt; 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        p = Math.Clamp(p, 1e-12, 1 - 1e-12);
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }
}
