using static Tuntas.Users.Roles;

namespace Tuntas.Audit;

/// <summary>Who reads the audit trail; nobody can change it from the application.</summary>
public static class AuditPermissions
{
    public static readonly Permission Read = new("audit.read", Administrator, Auditor);
}
