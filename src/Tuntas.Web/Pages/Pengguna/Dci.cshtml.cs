using Tuntas.Dci.Signatures;
using Tuntas.Dci.Subscriptions;

namespace Tuntas.Web.Pages.Pengguna;

/// <summary>
/// DCI for the administrator (docs/dci.md): each API client's message-signing key — registered, replaced or removed with
/// the same <see cref="RegisterClientKey"/> as <c>tuntas users api-client --signing-key</c> — and the clients'
/// subscriptions with the state of their notifications (<see cref="ListSubscriptions"/>, as <c>GET /api/dci-subscriptions</c>).
/// </summary>
public sealed class DciModel(TuntasDb db, RegisterClientKey register, ListSubscriptions list) : PageModel
{
    public sealed record ClientKey(long Id, string Name, bool Disabled, string? KeyId, string? Fingerprint);

    public IReadOnlyList<ClientKey> Clients { get; private set; } = [];

    public IReadOnlyList<ListSubscriptions.Line> Subscriptions { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var keys = await db.Set<DciClientKey>().AsNoTracking().ToDictionaryAsync(k => k.ApiClientId, cancellationToken);
        Clients = [.. (await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(cancellationToken))
            .Select(c => keys.TryGetValue(c.Id, out var k)
                ? new ClientKey(c.Id, c.Name, c.Disabled, k.KeyId, MessageSignature.Fingerprint(k.PublicKey))
                : new ClientKey(c.Id, c.Name, c.Disabled, null, null))];
        Subscriptions = await list.RunAsync(null, cancellationToken);
    }

    public async Task<IActionResult> OnPostKeyAsync(long clientId, string? publicKey, string? keyId, CancellationToken cancellationToken)
    {
        var outcome = await register.RunAsync(new RegisterClientKey.Input(clientId, publicKey, keyId), cancellationToken);
        if (outcome.ClientName is null)
        {
            return NotFound();
        }
        Problems = outcome.Problems;
        if (outcome.Succeeded)
        {
            Done = outcome.Key is null ? "Dci.KeyRemoved" : "Dci.KeySaved";
            var said = outcome.Key is { } key ? $"kunci tanda tangan DCI {key.KeyId} ({MessageSignature.Fingerprint(key.PublicKey)})" : "kunci tanda tangan DCI dihapus";
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"klien API #{clientId} ({outcome.ClientName}): {said}"));
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
