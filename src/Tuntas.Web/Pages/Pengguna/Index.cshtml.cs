using Tuntas.Users;

namespace Tuntas.Web.Pages.Pengguna;

/// <summary>
/// Users of the back office for the administrator: every account with its role, region, organization,
/// assigned villages and state, and the form to add one. A new account gets a generated password, shown once here to
/// be handed over in person, never sent anywhere.
/// </summary>
public sealed class IndexModel(TuntasDb db, AddUser addUser) : PageModel
{
    public sealed record Row(long Id, string UserName, string DisplayName, string Role, string? RegionCode, string? Organization, int Villages,
        bool Disabled, bool TwoFactor);

    public IReadOnlyList<Row> Users { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? CreatedUser { get; private set; }

    public string? CreatedPassword { get; private set; }

    [BindProperty]
    public UserForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var villages = await db.UserVillages.AsNoTracking().GroupBy(v => v.UserId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        Users = [.. (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken))
            .Select(u => new Row(u.Id, u.UserName, u.DisplayName, u.Role, u.RegionCode, u.Organization, villages.GetValueOrDefault(u.Id),
                u.Disabled, u.HasTwoFactor))];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var password = ResetPassword.Generate();
        var outcome = await addUser.RunAsync(new AddUser.Input(Form.UserName ?? "", Form.DisplayName ?? "", password, Form.Role ?? "",
            Form.RegionCode, Form.Organization), cancellationToken);
        if (outcome.Succeeded)
        {
            CreatedUser = outcome.User!.UserName;
            CreatedPassword = password;
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture,
                $"pengguna baru {outcome.User.UserName}: peran {outcome.User.Role}, wilayah {outcome.User.RegionCode ?? "-"}, lembaga {outcome.User.Organization ?? "-"}"));
            Form = new UserForm();
        }
        Problems = outcome.Problems;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}

/// <summary>The add/edit form of a user, as posted.</summary>
public sealed class UserForm
{
    public string? UserName { get; set; }
    public string? DisplayName { get; set; }
    public string? Role { get; set; } = Roles.VillageOperator;
    public string? RegionCode { get; set; }
    public string? Organization { get; set; }
    public bool Active { get; set; } = true;
}
