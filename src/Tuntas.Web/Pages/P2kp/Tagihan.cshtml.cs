using Tuntas.P2kp;
using Tuntas.P2kp.Loans;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>The collection worklist: running loans in arrears, worst first; a facilitator sees the KSM they accompany unless they ask for all of their villages.</summary>
[Tuntas.Web.Security.PersonalDataRead("tagihan-upk", null)]
public sealed class TagihanModel(CollectionWorklist worklist, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<CollectionWorklist.Item> Items { get; private set; } = [];

    public DateOnly Per { get; private set; }

    public bool Mine { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? per, bool? semua, CancellationToken cancellationToken)
    {
        if (!User.Has(P2kpAccess.SeeMembers))
        {
            return Forbid();
        }
        Per = per is not null && DateOnly.TryParseExact(per, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : regency.Value.Today(clock);
        Mine = User.Role() == Roles.Facilitator && semua != true;
        Items = await worklist.RunAsync(new CollectionWorklist.Input(Per, User.AccessScope(), Mine ? User.UserName() : null), cancellationToken);
        return Page();
    }
}
