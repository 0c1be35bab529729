using Tuntas.Collaboration;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>The stakeholder register: every actor by helix with its current contact, resources and role; the secretariat adds them here.</summary>
public sealed class PemangkuModel(TuntasDb db, SaveStakeholder save) : PageModel
{
    public sealed record Row(Stakeholder Stakeholder, string? Contact, int OpenCommitments);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty]
    public StakeholderForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var contacts = await db.StakeholderContacts.AsNoTracking().Where(c => c.Until == null).ToListAsync(cancellationToken);
        var open = await db.Commitments.AsNoTracking().Where(c => c.Status == CollaborationTerms.Pledged || c.Status == CollaborationTerms.InProgress)
            .GroupBy(c => c.StakeholderId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        Rows = [.. (await db.Stakeholders.AsNoTracking().OrderByDescending(s => s.Active).ThenBy(s => s.Helix).ThenBy(s => s.Name).ToListAsync(cancellationToken))
            .Select(s => new Row(s, contacts.FirstOrDefault(c => c.StakeholderId == s.Id)?.Name, open.GetValueOrDefault(s.Id)))];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(CollaborationPermissions.ManageStakeholders))
        {
            return Forbid();
        }
        var outcome = await save.RunAsync(Form.ToInput(null, active: true), cancellationToken);
        Problems = outcome.Problems;
        if (outcome.Stakeholder is { } saved)
        {
            AuditDetail.Set(HttpContext, $"pemangku kepentingan baru #{saved.Id} {saved.Name} ({saved.Helix})");
            Form = new StakeholderForm();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

public sealed class StakeholderForm
{
    public string? Name { get; set; }
    public string? Helix { get; set; }
    public List<string> Resources { get; set; } = [];
    public string? Role { get; set; }
    public string? KodeDesa { get; set; }
    public string? ContactName { get; set; }
    public string? ContactPosition { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactEmail { get; set; }

    public SaveStakeholder.Input ToInput(long? id, bool active) =>
        new(id, Name, Helix, Resources, Role, KodeDesa, active, ContactName, ContactPosition, ContactPhone, ContactEmail);
}
