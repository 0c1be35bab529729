namespace Tuntas.Targeting.Rules;

/// <summary>The latest active version of each program's eligibility rule, parsed, in an order where every rule comes
/// after the rules it refers to (so <c>eligible</c> can be evaluated in one pass).</summary>
public static class CurrentRules
{
    public sealed record Rule(EligibilityRule Row, ConditionNode Condition, IReadOnlySet<string> References);

    public static async Task<IReadOnlyDictionary<string, Rule>> LoadAsync(TuntasDb db, CancellationToken cancellationToken)
    {
        var latest = await db.EligibilityRules.AsNoTracking()
            .Where(r => r.Version == db.EligibilityRules.Where(o => o.ProgramCode == r.ProgramCode).Max(o => o.Version))
            .ToListAsync(cancellationToken);
        var rules = new Dictionary<string, Rule>(StringComparer.Ordinal);
        foreach (var row in latest.Where(r => r.Active).OrderBy(r => r.ProgramCode, StringComparer.Ordinal))
        {
            var issues = new List<TargetingIssue>();
            var parser = new RuleParser(allowRunFields: true, allowEligible: true);
            var condition = RuleParser.ParseJson(row.Definition, issues) is { } json ? parser.ParseCondition(json, "$") : null;
            // A stored rule was valid when saved; if the language changed since, say which rule no longer parses.
            if (condition is null || parser.Issues.Count > 0)
            {
                throw new TargetingException([.. issues.Concat(parser.Issues).Select(i => i with { Path = $"{row.ProgramCode} v{row.Version} {i.Path}" })]);
            }
            rules[row.ProgramCode] = new Rule(row, condition, parser.ReferencedPrograms);
        }
        return rules;
    }

    /// <summary>Programs ordered so that each comes after those it refers to; ties alphabetical (deterministic).</summary>
    public static IReadOnlyList<string> EvaluationOrder(IReadOnlyDictionary<string, Rule> rules)
    {
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string program)
        {
            if (!done.Add(program))
            {
                return;
            }
            foreach (var dependency in rules[program].References.Where(rules.ContainsKey).Order(StringComparer.Ordinal))
            {
                Visit(dependency);
            }
            order.Add(program);
        }
        foreach (var program in rules.Keys.Order(StringComparer.Ordinal))
        {
            Visit(program);
        }
        return order;
    }
}
