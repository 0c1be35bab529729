using Tuntas.Collaboration;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// One stakeholder: its details (the secretariat edits or deactivates — never deletes), its contact
/// persons over time with their handover notes, the handover form, its role in each program (the secretariat assigns
/// and ends roles, kept as history), and its commitments with their state.
/// </summary>
public sealed class PemangkuDetailModel(TuntasDb db, SaveStakeholder save, HandOverContact handOver, ProgramRoles programRoles) : PageModel
{
    public Stakeholder Stakeholder { get; private set; } = null!;

    public IReadOnlyList<StakeholderContact> Contacts { get; private set; } = [];

    public IReadOnlyList<(Commitment Commitment, Need Need)> Commitments { get; private set; } = [];

    public IReadOnlyList<ProgramRoles.Line> Roles { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name)> Programs { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty]
    public string? ProgramCode { get; set; }

    [BindProperty]
    public string? ProgramRole { get; set; }

    [BindProperty]
    public string? RoleNote { get; set; }

    [BindProperty]
    public long RoleId { get; set; }

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
        if (!User.Has(CollaborationPermissions.ManageStakeholders))
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
        if (!User.Has(CollaborationPermissions.ManageStakeholders) && !User.MayActFor(Stakeholder))
        {
            return Forbid();
        }
        var outcome = await handOver.RunAsync(new HandOverContact.Input(id, Handover.Name, Handover.Position, Handover.Phone, Handover.Email, Handover.Note,
            User.UserName()), cancellationToken);
        Problems = outcome.Problem is { } problem ? [problem] : [];
        if (outcome.Contact is { } contact)
        {
            Done = "Collab.HandoverDone";
            AuditDetail.Set(HttpContext, $"serah terima narahubung pemangku #{id} (narahubung #{contact.Id}): {outcome.CommitmentsMoved} komitmen dipindahkan");
            Handover = new HandoverForm();
        }
        await LoadAsync(id, cancellationToken);
        FormFrom();
        return Page();
    }

    public async Task<IActionResult> OnPostPeranAsync(long id, CancellationToken cancellationToken) =>
        await ChangeRoleAsync(id, async () =>
        {
            var (role, problems) = await programRoles.AssignAsync(new ProgramRoles.AssignInput(id, ProgramCode, ProgramRole, RoleNote, null, User.UserName()), cancellationToken);
            if (role is not null)
            {
                AuditDetail.Set(HttpContext, $"peran pemangku #{id} dalam program {ProgramCode}: {ProgramRole}");
            }
            return problems;
        }, cancellationToken);

    public async Task<IActionResult> OnPostAkhiriPeranAsync(long id, CancellationToken cancellationToken) =>
        await ChangeRoleAsync(id, async () =>
        {
            if (Roles.All(r => r.Id != RoleId))
            {
                return [new Problem("RoleId", "ROLE_ENDED", "Peran ini bukan milik pemangku kepentingan ini.", "This role is not this stakeholder's.")];
            }
            var problem = await programRoles.EndAsync(RoleId, User.UserName(), cancellationToken);
            if (problem is null)
            {
                AuditDetail.Set(HttpContext, $"peran #{RoleId} pemangku #{id} diakhiri");
            }
            return problem is null ? [] : [problem];
        }, cancellationToken);

    /// <summary>Program roles are the secretariat's to assign and end (ProgramOwnership of the TKPKD).</summary>
    private async Task<IActionResult> ChangeRoleAsync(long id, Func<Task<IReadOnlyList<Problem>>> change, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!User.Has(CollaborationPermissions.ManageStakeholders))
        {
            return Forbid();
        }
        Problems = await change();
        Done = Problems.Count == 0 ? "Users.Saved" : null;
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
        Roles = await programRoles.ListAsync(id, null, cancellationToken);
        Programs = [.. (await db.Programs.AsNoTracking().Where(p => p.Active).OrderBy(p => p.Code).Select(p => new { p.Code, p.Name }).ToListAsync(cancellationToken))
            .Select(p => (p.Code, p.Name))];
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
