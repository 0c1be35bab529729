using Tuntas.Targeting.Rules;

namespace Tuntas.Targeting.Models;

/// <summary>Validates a scoring model definition and saves it as the next version of its code.</summary>
public sealed class SaveTargetingModel(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string Code, string Definition, string SavedBy);

    public sealed record Outcome(TargetingModel? Saved, IReadOnlyList<TargetingIssue> Issues);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var issues = new List<TargetingIssue>();
        var code = ProgramCodes.Read(input.Code, "kode", "MODEL_CODE", issues);
        var model = ModelDefinition.Parse(input.Definition, issues);
        if (model is null || issues.Count > 0)
        {
            return new Outcome(null, issues);
        }
        var latest = await db.TargetingModels.Where(m => m.Code == code).OrderByDescending(m => m.Version).FirstOrDefaultAsync(cancellationToken);
        if (latest is not null && latest.Kind != model.Kind)
        {
            issues.Add(TargetingMessages.Issue("$.jenis", "MODEL_KIND"));
            return new Outcome(null, issues);
        }
        var row = new TargetingModel
        {
            Code = code,
            Version = (latest?.Version ?? 0) + 1,
            Kind = model.Kind,
            Name = model.Name,
            Definition = input.Definition.Trim(),
            CreatedBy = input.SavedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.TargetingModels.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(row, []);
    }
}
