using Tuntas.Access;
using Tuntas.Users;

namespace Tuntas.Web.Pages.Pengguna;

/// <summary>
/// One user for the administrator: change name, role, region, organization and state (a disabled user's session ends
/// on its next request, <see cref="AccessScopeMiddleware"/>); reset the password (generated, shown once); assign a
/// facilitator's villages. Every change is audited with its old → new values.
/// </summary>
public sealed class DetailModel(TuntasDb db, ChangeUser changeUser, ResetPassword resetPassword, AssignVillages assignVillages) : PageModel
{
    public User Account { get; private set; } = null!;

    public IReadOnlyList<(string Code, string? Name)> Villages { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Done { get; private set; }

    public string? NewPassword { get; private set; }

    [BindProperty]
    public UserForm Form { get; set; } = new();

    [BindProperty]
    public List<string> VillageCodes { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Form = FormOf(Account);
        VillageCodes = [.. Villages.Select(v => v.Code)];
        return Page();
    }

    public async Task<IActionResult> OnPostSimpanAsync(long id, CancellationToken cancellationToken)
    {
        var outcome = await changeUser.RunAsync(new ChangeUser.Input(id, User.UserName(), Form.DisplayName, Form.Role,
            string.IsNullOrWhiteSpace(Form.RegionCode) ? null : Form.RegionCode, Form.Organization ?? "", !Form.Active,
            ClearRegion: string.IsNullOrWhiteSpace(Form.RegionCode)), cancellationToken);
        if (!outcome.Found)
        {
            return NotFound();
        }
        Problems = outcome.Problems;
        if (outcome.Succeeded)
        {
            Done = outcome.Changes.Count == 0 ? "Users.NoChange" : "Users.Saved";
            AuditDetail.Set(HttpContext, $"pengguna #{id}: " + (outcome.Changes.Count == 0 ? "tidak ada perubahan" : string.Join("; ", outcome.Changes)));
        }
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSandiAsync(long id, CancellationToken cancellationToken)
    {
        var outcome = await resetPassword.RunAsync(id, null, cancellationToken);
        if (!outcome.Found)
        {
            return NotFound();
        }
        NewPassword = outcome.Password;
        AuditDetail.Set(HttpContext, $"pengguna #{id}: kata sandi diatur ulang");
        await LoadAsync(id, cancellationToken);
        Form = FormOf(Account);
        return Page();
    }

    public async Task<IActionResult> OnPostDesaAsync(long id, CancellationToken cancellationToken)
    {
        // Ticked villages, one value each; a value holding several codes (an old bookmark, a script) is still read.
        var codes = VillageCodes.SelectMany(v => v.Split(['\n', '\r', ',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var outcome = await assignVillages.RunAsync(new AssignVillages.Input(id, codes, User.UserName()), cancellationToken);
        if (!outcome.Found)
        {
            return NotFound();
        }
        Problems = outcome.Problems;
        if (outcome.Succeeded)
        {
            Done = "Users.VillagesSaved";
            AuditDetail.Set(HttpContext, $"pengguna #{id}: desa ditambah [{string.Join(", ", outcome.Added)}], dilepas [{string.Join(", ", outcome.Removed)}]");
        }
        await LoadAsync(id, cancellationToken);
        Form = FormOf(Account);
        return Page();
    }

    private static UserForm FormOf(User user) => new()
    {
        UserName = user.UserName,
        DisplayName = user.DisplayName,
        Role = user.Role,
        RegionCode = user.RegionCode,
        Organization = user.Organization,
        Active = !user.Disabled,
    };

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken) is not { } user)
        {
            return false;
        }
        Account = user;
        var codes = await db.UserVillages.AsNoTracking().Where(v => v.UserId == id).OrderBy(v => v.KodeDesa).Select(v => v.KodeDesa).ToListAsync(cancellationToken);
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        Villages = [.. codes.Select(c => (c, names.GetValueOrDefault(c)))];
        return true;
    }
}
