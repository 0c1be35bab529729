using Tuntas.Targeting;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;

namespace Tuntas.Core.Tests.Targeting;

public sealed class RuleParserTests
{
    private static List<TargetingIssue> IssuesOf(string json, bool allowRunFields = true)
    {
        var issues = new List<TargetingIssue>();
        var parser = new RuleParser(allowRunFields, allowEligible: allowRunFields);
        var root = RuleParser.ParseJson(json, issues);
        if (root is { } element)
        {
            parser.ParseCondition(element, "$");
        }
        issues.AddRange(parser.Issues);
        return issues;
    }

    [Fact]
    public void Refuses_a_missing_field_and_suggests_the_nearest_name()
    {
        var issue = Assert.Single(IssuesOf("""{"<": [{"field": "luas_lantaii"}, 8]}"""));
        Assert.Equal("UNKNOWN_FIELD", issue.Code);
        Assert.Equal("$.<[0].field", issue.Path);
        Assert.Contains("luas_lantai", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_division_by_a_constant_zero()
    {
        Assert.Equal("DIVIDE_BY_ZERO", Assert.Single(IssuesOf("""{"<": [{"/": [{"field": "luas_lantai"}, {"-": [2, 2]}]}, 8]}""")).Code);
    }

    [Fact]
    public void Refuses_a_member_field_outside_a_member_aggregate()
    {
        Assert.Equal("PERSON_FIELD_OUTSIDE_MEMBERS", Assert.Single(IssuesOf("""{"<": [{"field": "umur"}, 6]}""")).Code);
    }

    [Fact]
    public void Refuses_text_compared_with_a_number_and_lists_every_problem()
    {
        var issues = IssuesOf("""{"all": [{"<": [{"field": "kepala_pekerjaan"}, 3]}, {"foo": 1}, {">=": [{"field": "desil"}]}]}""");
        Assert.Equal(["TYPE", "UNKNOWN_OPERATOR", "ARITY"], issues.Select(i => i.Code));
    }

    [Fact]
    public void Refuses_targeting_results_inside_a_scoring_model()
    {
        var issues = new List<TargetingIssue>();
        ModelDefinition.Parse("""{"jenis": "kriteria", "nama": "x", "ambang": 1, "kriteria": [{"kode": "A", "syarat": {"<=": [{"field": "desil"}, 4]}}]}""", issues);
        Assert.Equal("RUN_FIELD_IN_MODEL", Assert.Single(issues).Code);
    }

    [Fact]
    public void Refuses_malformed_json_with_a_message()
    {
        Assert.Equal("JSON", Assert.Single(IssuesOf("""{"<": [""")).Code);
    }

    [Fact]
    public void Reads_region_codes_written_without_dots()
    {
        var parser = new RuleParser(false, false);
        var node = parser.ParseCondition(RuleParser.ParseJson("""{"=": [{"field": "kode_desa"}, "3314012001"]}""", [])!.Value, "$");
        Assert.Equal("33.14.01.2001", Assert.IsType<TextNode>(Assert.IsType<CompareNode>(node).Right).Value);
    }

    [Fact]
    public void Ships_default_models_that_parse()
    {
        foreach (var file in new[] { "BPS14.json", "INDEKS.json", "PMT.json" })
        {
            var issues = new List<TargetingIssue>();
            Assert.NotNull(ModelDefinition.Parse(SeedTargetingDefaults.Read(file), issues));
            Assert.Empty(issues);
        }
        var bps = ModelDefinition.Parse(SeedTargetingDefaults.Read("BPS14.json"), [])!;
        Assert.Equal(14, bps.Criteria.Count);
        Assert.Equal(9, bps.Threshold);
    }
}
