using Tuntas.Registry;

namespace Tuntas.Web.Pages.Keluarga;

/// <summary>
/// Search by NIK, NO_KK or name. The form POSTs and the results come back in the same response: an identifier never
/// appears in a URL (browser history, proxy and access logs), and the query is never logged.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("keluarga", null, ReadsOnPost = true)]
public sealed class CariModel(FindFamilies findFamilies) : PageModel
{
    [BindProperty]
    public string Query { get; set; } = "";

    public FindFamilies.Outcome? Result { get; private set; }

    public bool Empty { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Query) || Query.Length > 200)
        {
            Empty = true;
            return Page();
        }
        Result = await findFamilies.RunAsync(new FindFamilies.Input(Query, Scope: User.AccessScope()), cancellationToken);
        return Page();
    }
}
