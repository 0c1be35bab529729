using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;

namespace Tuntas.Targeting;

/// <summary>
/// On a database without any model or rule, saves the shipped defaults (Targeting/Defaults/): the BPS 14 criteria
/// (BPS14), a weighted index (INDEKS), the regression PMT (PMT) and eligibility rules for ten programs (DOMAIN §5).
/// They go through the same validation as a user's save, as version 1 by "sistem"; users edit them into new versions.
/// </summary>
public sealed class SeedTargetingDefaults(TuntasDatabase database, TimeProvider clock)
{
    public const string SystemUser = "sistem";

    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        if (await db.TargetingModels.AnyAsync(cancellationToken) || await db.EligibilityRules.AnyAsync(cancellationToken))
        {
            return false;
        }
        foreach (var code in new[] { "BPS14", "INDEKS", "PMT" })
        {
            var outcome = await new SaveTargetingModel(db, clock).RunAsync(new(code, Read(code + ".json"), SystemUser), cancellationToken);
            if (outcome.Saved is null)
            {
                throw new TargetingException(outcome.Issues);
            }
        }
        using var rules = JsonDocument.Parse(Read("rules.json"));
        // Rules that refer to other programs are saved after them.
        foreach (var rule in rules.RootElement.EnumerateArray().OrderBy(r => r.GetProperty("syarat").GetRawText().Contains("\"eligible\"", StringComparison.Ordinal)))
        {
            var outcome = await new SaveEligibilityRule(db, clock).RunAsync(new(
                rule.GetProperty("program").GetString()!, rule.GetProperty("nama").GetString()!,
                rule.GetProperty("syarat").GetRawText(), SystemUser), cancellationToken);
            if (outcome.Saved is null)
            {
                throw new TargetingException(outcome.Issues);
            }
        }
        return true;
    }

    public static string Read(string file)
    {
        using var stream = typeof(SeedTargetingDefaults).Assembly.GetManifestResourceStream("Tuntas.Targeting.Defaults." + file)
            ?? throw new InvalidOperationException("Missing embedded default " + file);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
