using Microsoft.AspNetCore.Identity;

namespace Tuntas.Users;

/// <summary>
/// Creates a back-office user: user name 3–64 of <c>a-z 0-9 . _ -</c> (stored lower-case), a role of <see cref="Roles.All"/>,
/// an existing region code when one is given, a password that passes <see cref="PasswordPolicy"/> (NIST SP 800-63B
/// §5.1.1: length and a list of common passwords over composition rules), hashed with the shared framework's
/// <c>PasswordHasher</c>. The demo accounts of demo mode keep their published password (never for real data).
/// </summary>
public sealed class AddUser(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string UserName, string DisplayName, string Password, string Role, string? RegionCode = null, string? Organization = null,
        bool DemoAccount = false);

    public sealed record Outcome(User? User, IReadOnlyList<Problem> Problems)
    {
        public bool Succeeded => User is not null;
    }

    public static string NormalizeUserName(string? userName) => (userName ?? "").Trim().ToLowerInvariant();

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var userName = NormalizeUserName(input.UserName);
        if (userName.Length is < 3 or > 64 || !userName.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
        {
            problems.Add(new("UserName", "USER_NAME_FORMAT",
                "Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung.",
                "User name must be 3–64 characters: lower-case letters, digits, dot, underscore or hyphen."));
        }
        else if (await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            problems.Add(new("UserName", "USER_NAME_TAKEN", "Nama pengguna sudah dipakai.", "User name is already taken."));
        }
        var (regionCode, organization) = await UserRules.CheckRoleAsync(db, input.Role, input.RegionCode, input.Organization, problems, cancellationToken);
        if (!input.DemoAccount && PasswordPolicy.Check(input.Password, userName) is { } weak)
        {
            problems.Add(weak);
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems);
        }
        var displayName = string.IsNullOrWhiteSpace(input.DisplayName) ? userName : input.DisplayName.Trim();
        var user = new User
        {
            UserName = userName,
            DisplayName = displayName,
            PasswordHash = "",
            Role = input.Role,
            RegionCode = regionCode,
            Organization = organization,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, input.Password!);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(user, []);
    }
}
