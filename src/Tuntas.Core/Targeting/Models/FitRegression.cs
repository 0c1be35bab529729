using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Models;

public sealed record Coefficient(string Code, double Estimate, double StandardError);

/// <summary>
/// Out-of-sample targeting accuracy of the fitted PMT at a quota (Alatas et al. 2012): the calibration families are
/// split into folds; each fold is predicted by a model fitted on the others; the poorest-predicted <see cref="Quota"/>
/// share is "targeted" and compared with the truly poor (consumption below the poverty line).
/// </summary>
public sealed record CrossValidation(int Folds, double Quota, double RSquared, int Targeted, int Poor, double InclusionError, double ExclusionError)
{
    public double Coverage => 1 - ExclusionError;
}

/// <summary>A fitted regression PMT: stored with the run that used it, so its predictions can be reproduced.</summary>
public sealed record RegressionFit(
    string Target, IReadOnlyList<Coefficient> Coefficients, double RSquared, double AdjustedRSquared, int SampleSize,
    IReadOnlyDictionary<string, double> ImputedMeans, CrossValidation CrossValidation, int LeftOutNonPositive);

/// <summary>Predicted monthly consumption per capita (Rp) per family; NaN where a proxy is unknown and not imputed.</summary>
public sealed record Prediction(double[] Consumption, int Unscored, IReadOnlyDictionary<string, int> Imputed);

/// <summary>
/// Regression proxy means test: ordinary least squares of ln(consumption per capita) on the model's proxies
/// over the calibration sample (families whose target is known), then a prediction for every family. This is how
/// national PMTs are built; OpenSPP, OpenG2P and OpenSID have weights set by hand instead.
/// The normal equations are accumulated per fold in one pass (k × k, k = proxies + 1), so a million-family sample
/// and its k-fold cross-validation cost one scan; collinearity is caught from the Cholesky pivots and named.
/// </summary>
public static class FitRegression
{
    /// <summary>The proxies' columns, evaluated once and shared by <see cref="Fit"/> and <see cref="Predict"/>.</summary>
    public static Column[] Proxies(ModelDefinition model, ColumnEvaluator evaluator) =>
        [.. model.Variables.AsParallel().AsOrdered().Select(v => evaluator.Values(v.Value))];

    public static RegressionFit Fit(ModelDefinition model, Column[] columns, RegistrySnapshot snapshot)
    {
        var target = snapshot.Column(model.Target);
        var families = snapshot.FamilyCount;
        var k = columns.Length + 1;

        // Means for "rerata" imputation, over families with a usable target.
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var j = 0; j < columns.Length; j++)
        {
            if (!model.Variables[j].ImputeMean)
            {
                continue;
            }
            double sum = 0;
            long count = 0;
            for (var f = 0; f < families; f++)
            {
                var v = columns[j][f];
                if (target[f] > 0 && !double.IsNaN(v))
                {
                    sum += v;
                    count++;
                }
            }
            means[model.Variables[j].Code] = count == 0 ? 0 : sum / count;
        }

        var folds = model.Folds;
        // The families are split in two halves accumulated on two cores, then added: sums are exact per half and
        // their order fixed, so the result does not depend on thread timing.
        var halves = new[] { (From: 0, To: families / 2), (From: families / 2, To: families) }
            .AsParallel().AsOrdered()
            .Select(h => Accumulate(model, columns, means, target, snapshot.FamilyIds, folds, k, h.From, h.To)).ToList();
        var xtx = Enumerable.Range(0, folds).Select(fold => Add(halves[0].Xtx[fold], halves[1].Xtx[fold])).ToArray();
        var xty = Enumerable.Range(0, folds).Select(fold => Add(halves[0].Xty[fold], halves[1].Xty[fold])).ToArray();
        var yty = halves[0].Yty + halves[1].Yty;
        var ySum = halves[0].YSum + halves[1].YSum;
        var sample = halves[0].Sample.Concat(halves[1].Sample).ToList();
        var n = sample.Count;
        var leftOut = halves[0].LeftOut + halves[1].LeftOut;
        var x = new double[k];
        var needed = 10 * k;
        if (n < needed)
        {
            throw new TargetingException([TargetingMessages.Issue("$.variabel", "SAMPLE_TOO_SMALL", n, model.Target, needed)]);
        }

        var total = Sum(xtx, k, skip: -1);
        var totalXty = SumVector(xty, k, skip: -1);
        var names = new[] { "(konstanta)" }.Concat(model.Variables.Select(v => v.Code)).ToArray();
        var beta = Solve(total, totalXty, names, out var inverse);
        var ssr = yty - 2 * Dot(beta, totalXty) + Quadratic(total, beta);
        var sst = yty - ySum * ySum / n;
        var sigma2 = ssr / Math.Max(1, n - k);
        var coefficients = names.Select((name, i) => new Coefficient(name, beta[i], Math.Sqrt(Math.Max(0, sigma2 * inverse[i, i])))).ToList();
        var r2 = sst <= 0 ? 0 : 1 - ssr / sst;
        var adjusted = 1 - (1 - r2) * (n - 1) / Math.Max(1, n - k);

        // k-fold cross-validation: each fold predicted by the model fitted on the other folds.
        var foldBeta = new double[folds][];
        for (var fold = 0; fold < folds; fold++)
        {
            foldBeta[fold] = Solve(Sum(xtx, k, skip: fold), SumVector(xty, k, skip: fold), names, out _);
        }
        var outOfFold = new double[sample.Count];
        double pressSs = 0;
        for (var s = 0; s < sample.Count; s++)
        {
            var f = sample[s];
            Row(model, columns, means, f, x);
            outOfFold[s] = Dot(foldBeta[FoldOf(snapshot.FamilyIds[f], folds)], x);
            var residual = Math.Log(target[f]) - outOfFold[s];
            pressSs += residual * residual;
        }
        var cvR2 = sst <= 0 ? 0 : 1 - pressSs / sst;
        var (targeted, poor, inclusion, exclusion) = Accuracy(sample, outOfFold, target, model.Quota, model.PovertyLine);
        return new RegressionFit(model.Target, coefficients, r2, adjusted, n, means,
            new CrossValidation(folds, model.Quota, cvR2, targeted, poor, inclusion, exclusion), leftOut);
    }

    private sealed record Sums(double[][] Xtx, double[][] Xty, double Yty, double YSum, List<int> Sample, int LeftOut);

    private static Sums Accumulate(ModelDefinition model, Column[] columns, Dictionary<string, double> means, Column target,
        long[] familyIds, int folds, int k, int from, int to)
    {
        var xtx = new double[folds][]; // lower triangle of Xᵀ X per fold, row-major k × k (flat: no 2-D bounds checks)
        var xty = new double[folds][];
        for (var fold = 0; fold < folds; fold++)
        {
            xtx[fold] = new double[k * k];
            xty[fold] = new double[k];
        }
        double yty = 0, ySum = 0;
        var leftOut = 0;
        var sample = new List<int>();
        var x = new double[k];
        for (var f = from; f < to; f++)
        {
            var t = target[f];
            if (double.IsNaN(t))
            {
                continue;
            }
            if (t <= 0)
            {
                leftOut++;
                continue;
            }
            if (!Row(model, columns, means, f, x))
            {
                continue;
            }
            var y = Math.Log(t);
            var fold = FoldOf(familyIds[f], folds);
            var a = xtx[fold];
            var b = xty[fold];
            for (var i = 0; i < k; i++)
            {
                var xi = x[i];
                b[i] += xi * y;
                var row = a.AsSpan(i * k, i + 1);
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] += xi * x[j];
                }
            }
            yty += y * y;
            ySum += y;
            sample.Add(f);
        }
        return new Sums(xtx, xty, yty, ySum, sample, leftOut);
    }

    private static double[] Add(double[] a, double[] b)
    {
        var sum = new double[a.Length];
        for (var i = 0; i < a.Length; i++) sum[i] = a[i] + b[i];
        return sum;
    }

    public static Prediction Predict(ModelDefinition model, RegressionFit fit, Column[] columns, int families)
    {
        var beta = fit.Coefficients.Select(c => c.Estimate).ToArray();
        var consumption = new double[families];
        var imputed = model.Variables.ToDictionary(v => v.Code, _ => 0, StringComparer.Ordinal);
        var unscored = 0;
        for (var f = 0; f < families; f++)
        {
            var value = beta[0];
            for (var j = 0; j < columns.Length && !double.IsNaN(value); j++)
            {
                var v = columns[j][f];
                if (double.IsNaN(v))
                {
                    var variable = model.Variables[j];
                    v = variable.ImputeValue ?? (variable.ImputeMean ? fit.ImputedMeans[variable.Code] : double.NaN);
                    if (!double.IsNaN(v))
                    {
                        imputed[variable.Code]++;
                    }
                }
                value += beta[j + 1] * v;
            }
            consumption[f] = Math.Exp(value);
            if (double.IsNaN(value))
            {
                unscored++;
            }
        }
        return new Prediction(consumption, unscored, imputed);
    }

    /// <summary>
    /// Inclusion error = share of the targeted who are not poor; exclusion error = share of the poor not targeted
    /// (Alatas, Banerjee, Hanna, Olken and Tobias 2012, AER 102(4)). Ties in the prediction are broken by registry order.
    /// </summary>
    public static (int Targeted, int Poor, double Inclusion, double Exclusion) Accuracy(
        IReadOnlyList<int> families, double[] predicted, Column actual, double quota, double povertyLine)
    {
        var order = Runs.Deciles.PoorestFirst(predicted);
        var targetedCount = (int)Math.Ceiling(quota * families.Count);
        int poorTotal = 0, targetedNonPoor = 0, poorTargeted = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            var isPoor = actual[families[order[rank]]] < povertyLine;
            var isTargeted = rank < targetedCount;
            poorTotal += isPoor ? 1 : 0;
            targetedNonPoor += isTargeted && !isPoor ? 1 : 0;
            poorTargeted += isTargeted && isPoor ? 1 : 0;
        }
        return (targetedCount, poorTotal,
            targetedCount == 0 ? 0 : (double)targetedNonPoor / targetedCount,
            poorTotal == 0 ? 0 : 1 - (double)poorTargeted / poorTotal);
    }

    private static bool Row(ModelDefinition model, Column[] columns, Dictionary<string, double> means, int f, double[] x)
    {
        x[0] = 1;
        for (var j = 0; j < columns.Length; j++)
        {
            var v = columns[j][f];
            if (double.IsNaN(v))
            {
                var variable = model.Variables[j];
                v = variable.ImputeValue ?? (variable.ImputeMean ? means[variable.Code] : double.NaN);
                if (double.IsNaN(v))
                {
                    return false;
                }
            }
            x[j + 1] = v;
        }
        return true;
    }

    private static int FoldOf(long familyId, int folds) => (int)((ulong)StableHash.Mix(familyId) % (ulong)folds);

    private static double[,] Sum(double[][] parts, int k, int skip)
    {
        var sum = new double[k, k];
        for (var p = 0; p < parts.Length; p++)
        {
            if (p == skip) continue;
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    sum[i, j] += parts[p][i * k + j];
                    sum[j, i] = sum[i, j];
                }
            }
        }
        return sum;
    }

    private static double[] SumVector(double[][] parts, int k, int skip)
    {
        var sum = new double[k];
        for (var p = 0; p < parts.Length; p++)
        {
            if (p == skip) continue;
            for (var i = 0; i < k; i++) sum[i] += parts[p][i];
        }
        return sum;
    }

    /// <summary>
    /// Solves the normal equations. A Cholesky pivot that vanishes (relative to the column's own sum of squares) means
    /// the column is a linear combination of the ones before it — including a constant, which equals the intercept.
    /// </summary>
    private static double[] Solve(double[,] a, double[] b, string[] names, out double[,] inverse)
    {
        var k = b.Length;
        var l = new double[k, k];
        for (var j = 0; j < k; j++)
        {
            var pivot = a[j, j];
            for (var m = 0; m < j; m++) pivot -= l[j, m] * l[j, m];
            if (pivot <= 1e-9 * Math.Max(a[j, j], 1e-300))
            {
                throw new TargetingException([TargetingMessages.Issue($"$.variabel[{j - 1}]", "COLLINEAR", names[j])]);
            }
            l[j, j] = Math.Sqrt(pivot);
            for (var i = j + 1; i < k; i++)
            {
                var sum = a[i, j];
                for (var m = 0; m < j; m++) sum -= l[i, m] * l[j, m];
                l[i, j] = sum / l[j, j];
            }
        }
        inverse = new double[k, k];
        var unit = new double[k];
        for (var c = 0; c < k; c++)
        {
            Array.Clear(unit);
            unit[c] = 1;
            var column = Substitute(l, unit);
            for (var r = 0; r < k; r++) inverse[r, c] = column[r];
        }
        return Substitute(l, b);
    }

    /// <summary>Solves L Lᵀ x = b by forward then backward substitution.</summary>
    private static double[] Substitute(double[,] l, double[] b)
    {
        var k = b.Length;
        var z = new double[k];
        for (var i = 0; i < k; i++)
        {
            var sum = b[i];
            for (var m = 0; m < i; m++) sum -= l[i, m] * z[m];
            z[i] = sum / l[i, i];
        }
        var x = new double[k];
        for (var i = k - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var m = i + 1; m < k; m++) sum -= l[m, i] * x[m];
            x[i] = sum / l[i, i];
        }
        return x;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double Quadratic(double[,] a, double[] v)
    {
        double sum = 0;
        for (var i = 0; i < v.Length; i++)
        {
            for (var j = 0; j < v.Length; j++) sum += v[i] * a[i, j] * v[j];
        }
        return sum;
    }
}
