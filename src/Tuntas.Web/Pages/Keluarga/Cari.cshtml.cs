using Tuntas.Registry;

namespace Tuntas.Web.Pages.Keluarga;

/// <summary>
/// Search by NIK, NO_KK or name. The form POSTs and the results come back in the same response: an identifier never
/// appears in a URL (browser history, proxy and access logs), and the query is never logged. A kecamatan/village picker
/// of the reader's scope narrows a name that too many families share; the page says how many more were found.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("keluarga", null, ReadsOnPost = true)]
public sealed class CariModel(FindFamilies findFamilies, Tuntas.Data.TuntasDb db, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string Query { get; set; } = "";

    /// <summary>A kecamatan or village offered by <see cref="Regions"/>, or empty for the whole scope.</summary>
    [BindProperty(Name = "wilayah")]
    public string? Wilayah { get; set; }

    /// <summary>The kecamatan and villages of the reader's scope, for the region picker.</summary>
    public IReadOnlyList<Tuntas.Regions.RegionChoices.District> Regions { get; private set; } = [];

    public string? Error { get; private set; }

    public FindFamilies.Outcome? Result { get; private set; }

    public bool Empty { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Regions = await Tuntas.Regions.RegionChoices.RunAsync(db, regency.Value.Regency, User.AccessScope(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        if (Wilayah is { Length: > 0 } && !Tuntas.Regions.RegionChoices.Offers(Regions, Wilayah))
        {
            Error = text["Filter.UnknownRegion"];
            Wilayah = null;
        }
        if (string.IsNullOrWhiteSpace(Query) || Query.Length > 200)
        {
            Empty = true;
            return Page();
        }
        Result = await findFamilies.RunAsync(new FindFamilies.Input(Query, Wilayah, Scope: User.AccessScope()), cancellationToken);
        return Page();
    }
}
