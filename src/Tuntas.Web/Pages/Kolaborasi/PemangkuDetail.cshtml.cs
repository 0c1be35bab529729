using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Data;
using Tuntas.Users;
using Tuntas.Web.Collaboration;
using Tuntas.Web.Security;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// One stakeholder (issue #6 §1): its details (the secretariat edits or deactivates — never deletes), its contact
/// persons over time with their handover notes, the handover form, and its commitments with their state.
/// </summary>
public sealed class PemangkuDetailModel(TuntasDb db, SaveStakeholder save, HandOverContact handOver) : PageModel
{
    public Stakeholder Stakeholder { get; private set; } = null!;

    public IReadOnlyList<StakeholderContact> Contacts { get; private set; } = [];

    public IReadOnlyList<(Commitment Commitment, Need Need)> Commitments { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Done { get; private set; }

    [BindProperty]
    public StakeholderForm Form { get; set; } = new();

    [BindProperty]
    public bool Active { get; set; }

    [BindProperty]
    public HandoverForm Handover { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        FormFrom();
        return Page();
    }

    public async Task<IActionResult> OnPostSimpanAsync(long id, CancellationToken cancellationToken)
    {
        if (!User.ManagesStakeholders())
        {
            return Forbid();
        }
        var outcome = await save.RunAsync(Form.ToInput(id, Active), cancellationToken);
        if (outcome.Problems.Any(p => p.Code == "NOT_FOUND"))
        {
            return NotFound();
        }
        Problems = outcome.Problems;
        if (outcome.Stakeholder is { } saved)
        {
            Done = "Users.Saved";
            AuditDetail.Set(HttpContext, $"pemangku kepentingan #{id} {saved.Name}: {(saved.Active ? "aktif" : "nonaktif")}");
        }
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSerahTerimaAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!User.ManagesStakeholders() && !User.MayActFor(Stakeholder))
        {
            return Forbid();
        }
        var outcome = await handOver.RunAsync(new HandOverContact.Input(id, Handover.Name, Handover.Position, Handover.Phone, Handover.Email, Handover.Note,
            User.UserName()), cancellationToken);
        Problems = outcome.Problem is { } problem ? [problem] : [];
        if (outcome.Contact is { } contact)
        {
            Done = "Collab.HandoverDone";
            AuditDetail.Set(HttpContext, $"serah terima narahubung pemangku #{id} ke {contact.Name}: {outcome.CommitmentsMoved} komitmen dipindahkan");
            Handover = new HandoverForm();
        }
        await LoadAsync(id, cancellationToken);
        FormFrom();
        return Page();
    }

    private void FormFrom()
    {
        Form = new StakeholderForm { Name = Stakeholder.Name, Helix = Stakeholder.Helix, Resources = [.. Stakeholder.Resources.Split('|', StringSplitOptions.RemoveEmptyEntries)], Role = Stakeholder.Role, KodeDesa = Stakeholder.KodeDesa };
        Active = Stakeholder.Active;
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } stakeholder)
        {
            return false;
        }
        Stakeholder = stakeholder;
        Contacts = await db.StakeholderContacts.AsNoTracking().Where(c => c.StakeholderId == id).OrderByDescending(c => c.From).ThenByDescending(c => c.Id).ToListAsync(cancellationToken);
        Commitments = [.. (await db.Commitments.AsNoTracking().Where(c => c.StakeholderId == id)
            .Join(db.Needs, c => c.NeedId, n => n.Id, (c, n) => new { c, n }).OrderByDescending(x => x.c.Id).ToListAsync(cancellationToken))
            .Select(x => (x.c, x.n))];
        return true;
    }
}

public sealed class HandoverForm
{
    public string? Name { get; set; }
    public string? Position { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Note { get; set; }
}
