using Tuntas.Dci.Subscriptions;
using Tuntas.Users;

namespace Tuntas.Dci;

/// <summary>
/// The API client a DCI bearer token names, read again on every request so that a client disabled or changed in the
/// back office or by the CLI (another process) is refused or rescoped at once, with the signing key it registered
/// (<see cref="Signatures.CheckSignature"/>) in the same read. Not cached, for that reason; instead one compiled query
/// (a primary-key seek and a left join): the row read and the key read were two EF queries per search, 14 % of the
/// web app's time under load.
/// </summary>
public sealed class ReadBearerClient(TuntasDb db)
{
    /// <param name="Key">Null when the client signs nothing (it registered no key).</param>
    public sealed record Outcome(ApiClient Client, DciClientKey? Key);

    private static readonly PerModel<Func<TuntasDb, long, CancellationToken, Task<Outcome?>>> _query = new(() => EF.CompileAsyncQuery(
        (TuntasDb db, long id, CancellationToken _) =>
            (from client in db.ApiClients.AsNoTracking()
             where client.Id == id
             join key in db.Set<DciClientKey>().AsNoTracking() on client.Id equals key.ApiClientId into keys
             from key in keys.DefaultIfEmpty()
             select new Outcome(client, key)).FirstOrDefault()));

    /// <returns>Null for a client that does not exist.</returns>
    public Task<Outcome?> RunAsync(long clientId, CancellationToken cancellationToken) => _query.For(db)(db, clientId, cancellationToken);
}
