using Tuntas.Targeting.Rules;

namespace Tuntas.Targeting.Models;

/// <summary>Per family: criteria met and unknown (as counts and bit masks, criterion i = bit i) and the poor verdict.</summary>
public sealed record CriteriaResult(int[] Met, int[] Unknown, long[] MetMask, long[] UnknownMask, sbyte[] Poor);

/// <summary>Per family: the weighted score over known indicators (NaN when more are unknown than allowed) and its class.</summary>
/// <param name="Absent">Indicators unknown for every family: not counted as any family's unknown (see <see cref="EvaluateModels.Score"/>).</param>
public sealed record ScoreResult(double[] Score, int[] Unknown, int[] ClassIndex, IReadOnlyList<Indicator> Absent);

/// <summary>Evaluation of the criteria and weighted-score models over a snapshot, a column at a time.</summary>
public static class EvaluateModels
{
    /// <summary>
    /// BPS rule (DOMAIN §3): poor when at least <c>ambang</c> criteria are met. A family with unknown criteria is poor
    /// if the known ones already reach the threshold, not poor if even all unknown ones could not, and otherwise
    /// undetermined (<see cref="ColumnEvaluator.Unknown"/>) — never decided by treating missing data as 0 or 1.
    /// </summary>
    public static CriteriaResult Criteria(ModelDefinition model, ColumnEvaluator evaluator, int families)
    {
        var met = new int[families];
        var unknown = new int[families];
        var metMask = new long[families];
        var unknownMask = new long[families];
        for (var c = 0; c < model.Criteria.Count; c++)
        {
            var truth = evaluator.Truth(model.Criteria[c].Condition);
            var bit = 1L << c;
            for (var f = 0; f < families; f++)
            {
                if (truth[f] == ColumnEvaluator.True)
                {
                    met[f]++;
                    metMask[f] |= bit;
                }
                else if (truth[f] == ColumnEvaluator.Unknown)
                {
                    unknown[f]++;
                    unknownMask[f] |= bit;
                }
            }
        }
        var poor = new sbyte[families];
        for (var f = 0; f < families; f++)
        {
            poor[f] = met[f] >= model.Threshold ? ColumnEvaluator.True
                : met[f] + unknown[f] < model.Threshold ? ColumnEvaluator.False
                : ColumnEvaluator.Unknown;
        }
        return new CriteriaResult(met, unknown, metMask, unknownMask, poor);
    }

    /// <summary>
    /// Sum of the weights of the indicators that hold. Unknown indicators are counted, not scored: when there are more
    /// than <c>maksTidakDiketahui</c>, the family gets no score and no class (listed as "belum dapat dinilai").
    /// </summary>
    public static ScoreResult Score(ModelDefinition model, ColumnEvaluator evaluator, int families)
    {
        var score = new double[families];
        var unknown = new int[families];
        var absent = new List<Indicator>();
        foreach (var indicator in model.Indicators)
        {
            var truth = evaluator.Truth(indicator.Condition);
            // An indicator no family of the registry has an answer for is not in its data at all (OpenSID's population
            // file and DTKS carry no savings, meals or treatment question): it is left out and named in the run, not
            // counted as every family's unknown, which left a registry built from them without a single index.
            if (families > 0 && Array.TrueForAll(truth, t => t == ColumnEvaluator.Unknown))
            {
                absent.Add(indicator);
                continue;
            }
            for (var f = 0; f < families; f++)
            {
                if (truth[f] == ColumnEvaluator.True)
                {
                    score[f] += indicator.Weight;
                }
                else if (truth[f] == ColumnEvaluator.Unknown)
                {
                    unknown[f]++;
                }
            }
        }
        var classIndex = new int[families];
        for (var f = 0; f < families; f++)
        {
            if (unknown[f] > model.MaxUnknown)
            {
                score[f] = double.NaN;
                classIndex[f] = -1;
                continue;
            }
            classIndex[f] = -1;
            for (var k = 0; k < model.Classes.Count; k++)
            {
                if (score[f] >= model.Classes[k].Min)
                {
                    classIndex[f] = k;
                    break;
                }
            }
        }
        return new ScoreResult(score, unknown, classIndex, absent);
    }
}
