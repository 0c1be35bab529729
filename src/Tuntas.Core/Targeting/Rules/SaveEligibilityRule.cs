namespace Tuntas.Targeting.Rules;

/// <summary>
/// Validates and saves a program's eligibility rule as a new version (older versions stay, runs keep naming them).
/// Refused with every issue listed: malformed JSON, unknown fields or operators, type errors, division by a constant
/// zero, a reference to a program without a rule, and a rule that refers to itself directly or through other rules.
/// </summary>
public sealed class SaveEligibilityRule(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string ProgramCode, string Name, string Definition, string SavedBy, bool Active = true);

    public sealed record Outcome(EligibilityRule? Saved, IReadOnlyList<TargetingIssue> Issues);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var issues = new List<TargetingIssue>();
        var code = ProgramCodes.Read(input.ProgramCode, "program", "PROGRAM_CODE", issues);
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            issues.Add(TargetingMessages.Issue("nama", "MODEL_REQUIRED", "nama"));
        }
        var current = await CurrentRules.LoadAsync(db, cancellationToken);
        var check = Validate(code, input.Definition, current, issues);
        if (issues.Count > 0 || check is null)
        {
            return new Outcome(null, issues);
        }
        var version = await db.EligibilityRules.Where(r => r.ProgramCode == code).Select(r => (int?)r.Version).MaxAsync(cancellationToken) ?? 0;
        var rule = new EligibilityRule
        {
            ProgramCode = code,
            Version = version + 1,
            Name = input.Name.Trim(),
            Definition = input.Definition.Trim(),
            Active = input.Active,
            CreatedBy = input.SavedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.EligibilityRules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(rule, []);
    }

    /// <summary>
    /// Parses a rule for <paramref name="programCode"/> against the other current rules; null with issues when refused.
    /// Also used by the preview, so what can be previewed can be saved.
    /// </summary>
    public static ConditionNode? Validate(string programCode, string definition, IReadOnlyDictionary<string, CurrentRules.Rule> current, List<TargetingIssue> issues)
    {
        if (RuleParser.ParseJson(definition, issues) is not { } json)
        {
            return null;
        }
        var parser = new RuleParser(allowRunFields: true, allowEligible: true);
        var condition = parser.ParseCondition(json, "$");
        issues.AddRange(parser.Issues);
        foreach (var referenced in parser.ReferencedPrograms.Where(p => p != programCode && !current.ContainsKey(p)))
        {
            issues.Add(TargetingMessages.Issue("$", "UNKNOWN_PROGRAM", referenced));
        }
        var references = current.ToDictionary(r => r.Key, r => (IReadOnlySet<string>)r.Value.References, StringComparer.Ordinal);
        references[programCode] = parser.ReferencedPrograms;
        if (FindCycle(programCode, references) is { } cycle)
        {
            issues.Add(TargetingMessages.Issue("$", "SELF_REFERENCE", string.Join(" → ", cycle)));
        }
        return issues.Count == 0 ? condition : null;
    }

    private static List<string>? FindCycle(string start, Dictionary<string, IReadOnlySet<string>> references)
    {
        var path = new List<string> { start };
        var visited = new HashSet<string>(StringComparer.Ordinal);
        bool Walk(string program)
        {
            foreach (var next in references.GetValueOrDefault(program) ?? new HashSet<string>())
            {
                path.Add(next);
                if (next == start || (visited.Add(next) && Walk(next)))
                {
                    return true;
                }
                path.RemoveAt(path.Count - 1);
            }
            return false;
        }
        return Walk(start) ? path : null;
    }
}
