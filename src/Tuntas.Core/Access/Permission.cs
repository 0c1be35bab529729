using System.Reflection;
using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>
/// Something a role may do, declared once by the feature it belongs to (<c>TargetingPermissions.Manage</c>,
/// <c>CollaborationPermissions.ManageStakeholders</c>…). The web app registers each as an ASP.NET Core authorization
/// policy of the same name (pages by folder, API routes by <c>RequireAuthorization</c>), views and handlers ask
/// <c>User.Has(permission)</c>, and use cases that receive a role ask <see cref="Allows"/>: one list of roles per
/// permission, so a role change is made in one line. What a role may do inside its region (a village operator's village)
/// is the <see cref="AccessScope"/>'s part, checked against the record: <c>P2kpAccess</c>, <c>ComplaintAccess</c>,
/// <c>CollaborationPermissions.MayRecordNeedIn</c>.
/// </summary>
public sealed class Permission
{
    private readonly HashSet<string> _roles;

    public Permission(string name, params string[] roles)
    {
        Name = name;
        _roles = new HashSet<string>(roles, StringComparer.Ordinal);
    }

    /// <summary>The policy's name (stable: it appears in route metadata and the OpenAPI document's descriptions).</summary>
    public string Name { get; }

    public IReadOnlyCollection<string> Roles => _roles;

    public bool Allows(string role) => _roles.Contains(role);

    /// <summary>Every role except the given ones (e.g. all but the partner and the auditor, who only read).</summary>
    public static string[] AllRolesExcept(params string[] excluded) => [.. Users.Roles.All.Except(excluded)];

    /// <summary>
    /// Every permission the features declare (public static fields of type <see cref="Permission"/> in this assembly),
    /// so the web app's policies cannot fall behind a new declaration.
    /// </summary>
    public static IReadOnlyList<Permission> All { get; } = [.. typeof(Permission).Assembly.GetTypes()
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.FieldType == typeof(Permission))
        .Select(f => (Permission)f.GetValue(null)!)
        .OrderBy(p => p.Name, StringComparer.Ordinal)];

    public override string ToString() => Name;
}
