using Microsoft.EntityFrameworkCore;
using Tuntas.Access;
using Tuntas.Data;

namespace Tuntas.Cli;

/// <summary>
/// The account a command acts for. The CLI runs at the server with the database's credentials, so without <c>--user</c>
/// it acts for the regency; <c>--user</c> naming an active account acts within that account's resolved scope (a village
/// operator's import or export reaches only their village), as the back office would, and is refused when the role lacks
/// the permission. A name with no account is, for most commands, only the name written in the history and the audit; a
/// command that hands out full identifiers refuses it instead, so that a mistyped name never widens to the regency.
/// </summary>
internal static class CliAccounts
{
    public sealed record Acting(AccessScope Scope, bool SeesSensitive, Problem? Refusal);

    /// <param name="notAllowed">The refusal of a role without <paramref name="permission"/>, given the role.</param>
    public static async Task<Acting> ResolveAsync(TuntasDb db, CliContext context, string? userName, Permission permission,
        Func<string, Problem> notAllowed, bool unknownIsRefused, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return new Acting(AccessScope.Regency, true, null);
        }
        var account = await db.Users.AsNoTracking().Where(u => u.UserName == userName && !u.Disabled)
            .Select(u => new { u.Id, u.Role, u.RegionCode, u.Organization }).FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return unknownIsRefused
                ? new Acting(AccessScope.Nothing, false, CliTexts.Problem("Cli.UserUnknown", "user", "USER_UNKNOWN", userName))
                : new Acting(AccessScope.Regency, true, null);
        }
        if (!permission.Allows(account.Role))
        {
            return new Acting(AccessScope.Nothing, false, notAllowed(account.Role));
        }
        var scope = await new ResolveAccessScope(db, context.Clock).RunAsync(
            new ResolveAccessScope.Input(account.Id, account.Role, account.RegionCode, account.Organization), cancellationToken);
        return new Acting(scope, Registry.RegistryPermissions.SeeSensitive.Allows(account.Role), null);
    }
}
