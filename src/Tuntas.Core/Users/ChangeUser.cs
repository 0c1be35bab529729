namespace Tuntas.Users;

/// <summary>
/// Changes a user's display name, role, region, organization or active state from the back office or the CLI, with
/// the same checks as <see cref="AddUser"/>. Returns what changed as "field: old → new" for the audit trail (/// §3). An administrator cannot disable or demote themself: the regency would be left without one by a slip.
/// </summary>
public sealed class ChangeUser(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long UserId, string ActingUser, string? DisplayName = null, string? Role = null, string? RegionCode = null,
        string? Organization = null, bool? Disabled = null, bool ClearRegion = false);

    public sealed record Outcome(bool Found, IReadOnlyList<Problem> Problems, IReadOnlyList<string> Changes)
    {
        public bool Succeeded => Found && Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == input.UserId, cancellationToken);
        if (user is null)
        {
            return new Outcome(false, [], []);
        }
        var problems = new List<Problem>();
        var role = input.Role ?? user.Role;
        var region = input.ClearRegion ? null : input.RegionCode ?? user.RegionCode;
        var (regionCode, organization) = await UserRules.CheckRoleAsync(db, role, region, input.Organization ?? user.Organization, problems, cancellationToken);
        var self = string.Equals(user.UserName, input.ActingUser, StringComparison.Ordinal);
        if (self && (input.Disabled == true || (user.Role == Roles.Administrator && role != Roles.Administrator)))
        {
            problems.Add(new("Role", "SELF_LOCKOUT",
                "Anda tidak dapat menonaktifkan atau menurunkan peran akun Anda sendiri; minta administrator lain.",
                "You cannot disable or demote your own account; ask another administrator."));
        }
        if (problems.Count > 0)
        {
            return new Outcome(true, problems, []);
        }
        var changes = new List<string>();
        Set("nama", user.DisplayName, string.IsNullOrWhiteSpace(input.DisplayName) ? user.DisplayName : input.DisplayName.Trim(), v => user.DisplayName = v!);
        Set("peran", user.Role, role, v => user.Role = v!);
        Set("wilayah", user.RegionCode, regionCode, v => user.RegionCode = v);
        Set("lembaga", user.Organization, organization, v => user.Organization = v);
        if (input.Disabled is { } disabled && disabled != user.Disabled)
        {
            changes.Add(disabled ? "status: aktif → nonaktif" : "status: nonaktif → aktif");
            user.Disabled = disabled;
            if (!disabled)
            {
                user.FailedSignIns = 0;
                user.LockedUntil = null;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        if (changes.Any(c => !c.StartsWith("nama", StringComparison.Ordinal)))
        {
            // What the user may do changed: sessions started under the old role, region or status end now (ASVS 3.3.3).
            await new Sessions(db, clock).EndAllAsync(user.Id, Sessions.AccountChanged, cancellationToken);
        }
        return new Outcome(true, [], changes);

        void Set(string field, string? before, string? after, Action<string?> apply)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {before ?? "-"} → {after ?? "-"}"));
                apply(after);
            }
        }
    }
}
