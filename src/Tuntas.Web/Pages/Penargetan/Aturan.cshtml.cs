using Microsoft.Extensions.Localization;
using Tuntas.Targeting;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;
using Tuntas.Web.Display;

namespace Tuntas.Web.Pages.Penargetan;

/// <summary>
/// Eligibility rules and scoring models: the current versions with their JSON, a rule form that previews (families and
/// persons per kecamatan, nothing saved) or saves a new version, and a model form. Any signed-in role reads and
/// previews; administrators and coordinators save. A refusal lists every issue with its JSON path and code.
/// </summary>
public sealed class AturanModel(TuntasDb db, PreviewRule previewRule, SaveEligibilityRule saveRule, SaveTargetingModel saveModel) : PageModel
{
    public const string PreviewAction = "pratinjau";
    public const string SaveAction = "simpan";
    public const string SaveModelAction = "simpan-model";

    [BindProperty(SupportsGet = true)]
    public string? Program { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Definition { get; set; }

    [BindProperty(Name = "ModelCode", SupportsGet = true)]
    public string? ModelCode { get; set; }

    [BindProperty]
    public string? ModelDefinition { get; set; }

    [BindProperty]
    public string? Action { get; set; }

    public IReadOnlyList<EligibilityRule> Rules { get; private set; } = [];

    public IReadOnlyList<TargetingModel> Models { get; private set; } = [];

    public IReadOnlyList<TargetingIssue> RuleIssues { get; private set; } = [];

    public IReadOnlyList<TargetingIssue> ModelIssues { get; private set; } = [];

    public PreviewRule.Outcome? Preview { get; private set; }

    public string? Saved { get; private set; }

    public string? SavedModel { get; private set; }

    public bool CanManage => User.Has(TargetingPermissions.Manage);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(Program) && Rules.FirstOrDefault(r => r.ProgramCode == ProgramCodes.Normalize(Program)) is { } rule)
        {
            Program = rule.ProgramCode;
            Name = rule.Name;
            Definition = rule.Definition;
        }
        // The latest version of a model, to edit it as a table (Models is ordered newest version first per code).
        if (!string.IsNullOrWhiteSpace(ModelCode) && Models.FirstOrDefault(m => string.Equals(m.Code, ModelCode.Trim(), StringComparison.OrdinalIgnoreCase)) is { } model)
        {
            ModelCode = model.Code;
            ModelDefinition = model.Definition;
        }
    }

    /// <summary>
    /// The count beside the structured editor, refreshed as rows change: the same preview as the button (nothing is
    /// saved), answered as one sentence in the reader's language, or the first issue when the rule is refused.
    /// </summary>
    public async Task<IActionResult> OnPostCountAsync([FromServices] IStringLocalizer<SharedResource> texts, CancellationToken cancellationToken)
    {
        var preview = await previewRule.RunAsync(new PreviewRule.Input(Program, Definition ?? ""), cancellationToken);
        if (preview.Issues.Count > 0)
        {
            var issue = preview.Issues[0];
            return new JsonResult(new CountAnswer(false, texts["Targeting.LiveRefused", preview.Issues.Count, issue.Code, Show.Text(issue)]));
        }
        var c = CultureInfo.CurrentCulture;
        var sentence = texts["Targeting.PreviewResult", preview.Families.ToString("N0", c), preview.Total.ToString("N0", c),
            preview.Persons.ToString("N0", c), preview.Undetermined.ToString("N0", c)] + " "
            + (preview.RunId is { } runId ? texts["Targeting.PreviewRun", runId] : texts["Targeting.PreviewNoRun"]);
        return new JsonResult(new CountAnswer(true, sentence));
    }

    /// <summary>The live count's answer: whether the rule was accepted, and the sentence to show.</summary>
    public sealed record CountAnswer(bool Ok, string Text);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        switch (Action)
        {
            case PreviewAction:
                Preview = await previewRule.RunAsync(new PreviewRule.Input(Program, Definition ?? ""), cancellationToken);
                RuleIssues = Preview.Issues;
                break;
            case SaveAction:
                if (!CanManage)
                {
                    return Forbid();
                }
                var program = Program ?? "";
                var rule = await saveRule.RunAsync(new SaveEligibilityRule.Input(program, string.IsNullOrWhiteSpace(Name) ? program : Name,
                    Definition ?? "", User.UserName()), cancellationToken);
                RuleIssues = rule.Issues;
                if (rule.Saved is { } savedRule)
                {
                    Saved = T(savedRule.ProgramCode, savedRule.Version);
                }
                break;
            case SaveModelAction:
                if (!CanManage)
                {
                    return Forbid();
                }
                var model = await saveModel.RunAsync(new SaveTargetingModel.Input(ModelCode ?? "", ModelDefinition ?? "", User.UserName()), cancellationToken);
                ModelIssues = model.Issues;
                if (model.Saved is { } savedModel)
                {
                    SavedModel = T(savedModel.Code, savedModel.Version);
                }
                break;
            default:
                return BadRequest();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private static string T(string code, int version) => code + " v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The latest version of each program's rule (retired ones too, marked), and every model version.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var rules = await db.EligibilityRules.AsNoTracking().ToListAsync(cancellationToken);
        Rules = [.. rules.GroupBy(r => r.ProgramCode).Select(g => g.MaxBy(r => r.Version)!).OrderBy(r => r.ProgramCode, StringComparer.Ordinal)];
        Models = await db.TargetingModels.AsNoTracking().OrderBy(m => m.Code).ThenByDescending(m => m.Version).ToListAsync(cancellationToken);
    }
}
