using System.CommandLine.Parsing;

namespace Tuntas.Cli;

/// <summary>
/// <c>--min-score</c> of <c>duplicates find</c> and <c>linkage run</c>: a number written with a decimal point, read with
/// the invariant culture and without thousands separators. System.CommandLine's own parsing allows them, so a decimal
/// comma as Indonesian writes it read "0,95" as 95 (refused) but "0,000" as 0, which quietly listed every pair. A value
/// that is not such a number becomes NaN, which <see cref="Tuntas.Linkage.LinkageEngine.IsMinScore"/> refuses with the
/// command's own message (code LINKAGE_SKOR).
/// </summary>
public static class ScoreOptions
{
    public static Option<double?> MinScore() =>
        new("--min-score") { Description = CliTexts.Both("Option.MinScore"), CustomParser = Parse };

    private static double? Parse(ArgumentResult result) =>
        result.Tokens is [{ } token] && double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
            ? score
            : double.NaN;
}
