using System.Globalization;
using Tuntas.Access;
using Tuntas.Data;
using Tuntas.Users;

namespace Tuntas.Cli;

/// <summary>
/// The account a command acts for. The CLI runs at the server with the database's credentials, so without <c>--user</c>
/// it acts for the regency; <c>--user</c> naming an active account acts within that account's resolved scope (a village
/// operator's import or export reaches only their village), as the back office would, and is refused when the role lacks
/// the permission. A disabled account is refused. A name with no account is, for most commands, only the name written in the history and the audit; a
/// command that hands out full identifiers refuses it instead, so that a mistyped name never widens to the regency.
/// </summary>
internal static class CliAccounts
{
    /// <param name="Role">The account's role; null when the command acts for the regency (no <c>--user</c>, or a name
    /// without an account where that is allowed).</param>
    /// <param name="Organization">The account's agency or organization (whose programs an agency officer manages).</param>
    public sealed record Acting(AccessScope Scope, bool SeesSensitive, Problem? Refusal, string? Role = null, string? Organization = null);

    /// <param name="notAllowed">The refusal of a role without <paramref name="permission"/>, given the role.</param>
    public static async Task<Acting> ResolveAsync(TuntasDatabase database, CliContext context, string? userName, Permission permission,
        Func<string, Problem> notAllowed, bool unknownIsRefused, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return new Acting(AccessScope.Regency, true, null);
        }
        // One plain query, not the EF model: an import names its operator on every run (the bench harness too), and
        // building the model for it cost a first load about half a second and 20 MB.
        (long Id, string Role, string? RegionCode, string? Organization)? account = null;
        var disabled = false;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, role, region_code, organization, disabled FROM users WHERE user_name = @name";
            // Stored trimmed and lower-cased, as signing in reads them: "Operator.Keden " found no account and, where a
            // name without one is allowed, acted for the regency past the account's village and its being disabled.
            command.AddParameter("@name", AddUser.NormalizeUserName(userName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                disabled = Convert.ToBoolean(reader.GetValue(4), CultureInfo.InvariantCulture);
                account = (reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }
        if (disabled)
        {
            // A disabled account is refused by every command: taken as a mere name, it acted for the whole regency — a
            // village operator's name, disabled, imported into any village of the regency under that name.
            return new Acting(AccessScope.Nothing, false, CliTexts.Problem("Cli.UserDisabled", "user", "USER_DISABLED", userName));
        }
        if (account is not { } found)
        {
            return unknownIsRefused
                ? new Acting(AccessScope.Nothing, false, CliTexts.Problem("Cli.UserUnknown", "user", "USER_UNKNOWN", userName))
                : new Acting(AccessScope.Regency, true, null);
        }
        if (!permission.Allows(found.Role))
        {
            return new Acting(AccessScope.Nothing, false, notAllowed(found.Role));
        }
        await using var db = database.CreateDb();
        var scope = await new ResolveAccessScope(db, context.Clock, context.Regency).RunAsync(
            new ResolveAccessScope.Input(found.Id, found.Role, found.RegionCode, found.Organization), cancellationToken);
        return new Acting(scope, Registry.RegistryPermissions.SeeSensitive.Allows(found.Role), null, found.Role, found.Organization);
    }
}
