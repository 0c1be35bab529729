using Tuntas.Users;

namespace Tuntas.Web.Pages.Pengguna;

/// <summary>
/// API clients for the administrator: the same <see cref="AddApiClient"/> as <c>tuntas users api-client</c> (role, region
/// and organization checked like a user's, the key shown once), the list of clients with their binding, and disabling
/// a client (its key stops working on the next request).
/// </summary>
public sealed class KlienApiModel(TuntasDb db, AddApiClient addApiClient) : PageModel
{
    public IReadOnlyList<ApiClient> Clients { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? CreatedName { get; private set; }

    public string? CreatedKey { get; private set; }

    /// <summary>The client's number: its <c>client_id</c> for the DCI token endpoint (docs/dci.md), the key its secret.</summary>
    public long? CreatedId { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public UserForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Clients = await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await addApiClient.RunAsync(new AddApiClient.Input(Name ?? "", Form.Role ?? "", Form.RegionCode, Form.Organization), cancellationToken);
        if (outcome.Client is { } client)
        {
            CreatedName = client.Name;
            CreatedKey = outcome.Key;
            CreatedId = client.Id;
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture,
                $"klien API baru {client.Name}: peran {client.Role}, wilayah {client.RegionCode ?? "-"}, lembaga {client.Organization ?? "-"}"));
            Name = null;
            Form = new UserForm();
        }
        Problems = outcome.Problems;
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostActiveAsync(long clientId, bool active, CancellationToken cancellationToken)
    {
        var changed = await db.ApiClients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Disabled, !active), cancellationToken);
        if (changed == 0)
        {
            return NotFound();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"klien API #{clientId}: {(active ? "aktif" : "nonaktif")}"));
        return RedirectToPage();
    }
}
