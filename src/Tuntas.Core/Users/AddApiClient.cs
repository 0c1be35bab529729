using System.Security.Cryptography;

namespace Tuntas.Users;

/// <summary>
/// Creates an API client (a village information system, a partner's system): a name, a role, and — as for a user, by
/// the same <see cref="UserRules"/> — its region and organization, which its <c>AccessScope</c> is resolved from on
/// every request. A village system's key is bound to its village: it reads and writes that village only, never the
/// regency. The key (<c>tnt_</c> + 48 hex digits) is returned once; only its SHA-256 is stored.
/// </summary>
public sealed class AddApiClient(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string Name, string Role, string? RegionCode = null, string? Organization = null);

    public sealed record Outcome(ApiClient? Client, string? Key, IReadOnlyList<Problem> Problems)
    {
        public bool Succeeded => Client is not null;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var name = (input.Name ?? "").Trim();
        if (name.Length is 0 or > 120 || name.Any(char.IsControl))
        {
            problems.Add(new("Name", "CLIENT_NAME", "Nama klien 1–120 karakter, tanpa karakter kendali.", "The client name must be 1–120 characters, without control characters."));
        }
        var (regionCode, organization) = await UserRules.CheckRoleAsync(db, input.Role, input.RegionCode, input.Organization, problems, cancellationToken);
        if (problems.Count > 0)
        {
            return new Outcome(null, null, problems);
        }
        var key = "tnt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var client = new ApiClient
        {
            Name = name,
            KeyHash = ApiKeys.Hash(key),
            Role = input.Role,
            RegionCode = regionCode,
            Organization = organization,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(client, key, []);
    }
}
