using Microsoft.AspNetCore.Authorization;
using Tuntas.Registry;

namespace Tuntas.Web.Pages.Keluarga;

/// <summary>
/// The field editor: a village operator (or the regency) corrects a family and its members field by field, records a
/// life event (death, move, missing), a birth or a pecah KK. Every save goes through <see cref="EditFamily"/> →
/// <see cref="RegistryWriter"/> with the import's validation; a save on a stale version is refused and the change made
/// meanwhile is shown. Sensitive fields (income, disability, illness, pregnancy) appear only for the roles that may see
/// them (UU PDP); the others never post them, so they are never changed by them.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("keluarga", "id", Tuntas.Audit.AuditActions.ViewFamily)]
public sealed class UbahModel(FamilyDetails familyDetails, EditFamily editFamily) : PageModel
{
    public FamilyDetails.Outcome Details { get; private set; } = null!;

    public bool ShowSensitive { get; private set; }

    public IReadOnlyList<RegistryProblem> Problems { get; private set; } = [];

    /// <summary>Saved, but a member looks like someone already registered (DUPLICATE_SUSPECT): shown before leaving.</summary>
    public IReadOnlyList<RegistryProblem> Warnings { get; private set; } = [];

    /// <summary>Lines written by someone else since the version this form showed (a refused stale save).</summary>
    public IReadOnlyList<FamilyChange> OtherChanges { get; private set; } = [];

    public bool Saved { get; private set; }

    public IReadOnlyDictionary<string, string?> Posted { get; private set; } = new Dictionary<string, string?>();

    public static readonly string[] SensitivePersonFields = ["PENGHASILAN", "DISABILITAS", "PENYAKIT_KRONIS", "HAMIL"];

    public IEnumerable<RegistryFields.Rule> FamilyRules => RegistryFields.FamilyRules.Where(r => RegistryFields.IsEditableFamilyField(r.Column));

    public IEnumerable<RegistryFields.Rule> PersonRules => RegistryFields.PersonRules
        .Where(r => RegistryFields.IsEditablePersonField(r.Column) && r.Column != "NIK" && (ShowSensitive || !SensitivePersonFields.Contains(r.Column)));

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, long version, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var form = Request.Form;
        Posted = form.Keys.ToDictionary(k => k, k => (string?)form[k].ToString());
        var familyFields = FamilyRules.Where(r => form.ContainsKey("f." + r.Column)).ToDictionary(r => r.Column, r => (string?)form["f." + r.Column].ToString());
        var personFields = new Dictionary<long, IReadOnlyDictionary<string, string?>>();
        var lifeEvents = new List<EditFamily.LifeEvent>();
        foreach (var member in Details.Members)
        {
            var prefix = "p" + member.Id.ToString(CultureInfo.InvariantCulture) + ".";
            var fields = PersonRules.Where(r => form.ContainsKey(prefix + r.Column)).ToDictionary(r => r.Column, r => (string?)form[prefix + r.Column].ToString());
            if (form[prefix + "NIK"].ToString() is { Length: > 0 } nik)
            {
                fields["NIK"] = nik;
            }
            personFields[member.Id] = fields;
            if (form.ContainsKey(prefix + "STATUS_HIDUP"))
            {
                DateOnly? date = RegistryFields.TryParseDate(form[prefix + "TANGGAL_STATUS"].ToString().Trim(), out var d) ? d : null;
                lifeEvents.Add(new EditFamily.LifeEvent(member.Id, form[prefix + "STATUS_HIDUP"].ToString(), date, form[prefix + "PINDAH_KE"].ToString()));
            }
        }
        var newMember = RegistryFields.PersonRules.Where(r => RegistryFields.IsEditablePersonField(r.Column) && form.ContainsKey("n." + r.Column))
            .ToDictionary(r => r.Column, r => (string?)form["n." + r.Column].ToString());
        var splitIds = form["split"].Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0).Where(pid => pid > 0).ToList();
        var outcome = await editFamily.RunAsync(new EditFamily.Input(id, version, User.UserName(), User.AccessScope(),
            familyFields, personFields, lifeEvents, newMember, splitIds.Count > 0 ? new EditFamily.Split(splitIds, form["splitNoKk"].ToString()) : null), cancellationToken);
        switch (outcome.Result)
        {
            case RegistryWriter.Result.NotFound:
                return NotFound();
            case RegistryWriter.Result.Written or RegistryWriter.Result.Unchanged:
                AuditDetail.Set(HttpContext, $"ubah keluarga #{id}: {outcome.Changes.Count} perubahan, versi {outcome.Version}");
                if (outcome.Warnings.Count > 0)
                {
                    Warnings = outcome.Warnings;
                    Posted = new Dictionary<string, string?>();
                    await LoadAsync(id, cancellationToken);
                    return Page();
                }
                return RedirectToPage("/Keluarga/Detail", new { id });
            case RegistryWriter.Result.Stale:
                OtherChanges = outcome.Changes;
                Problems = outcome.Problems;
                Posted = new Dictionary<string, string?>(); // the form shows the registry as it is now
                await LoadAsync(id, cancellationToken);
                return Page();
            default:
                Problems = outcome.Problems;
                return Page();
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var outcome = await familyDetails.RunAsync(new FamilyDetails.Input(id, 1, 20, User.AccessScope()), cancellationToken);
        if (outcome is null)
        {
            return false;
        }
        Details = outcome;
        ShowSensitive = User.Has(RegistryPermissions.SeeSensitive);
        return true;
    }

    /// <summary>The value a field shows: what was posted (after a refused save), else the registry's canonical text.</summary>
    public string Value(string key, object? stored) => Posted.TryGetValue(key, out var posted) ? posted ?? "" : RegistryColumns.Canonical(stored) ?? "";

    public string? Problem(long? personId, string field) =>
        Problems.FirstOrDefault(p => p.PersonId == personId && p.Field == field) is { } problem
            ? (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? problem.MessageEn : problem.Message) + " (" + problem.Code + ")"
            : null;

    public string Message(RegistryProblem problem) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? problem.MessageEn : problem.Message;

    /// <summary>Label table of a coded field, for a select; null for free fields (the registry's field catalogue).</summary>
    public static IReadOnlyDictionary<int, string>? LabelsOf(string column) =>
        (RegistryFields.FamilyRule(column) ?? RegistryFields.PersonRule(column))?.Codes;
}
