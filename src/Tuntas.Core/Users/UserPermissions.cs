using static Tuntas.Users.Roles;

namespace Tuntas.Users;

/// <summary>Users, facilitator assignments, API clients and data-sharing agreements.</summary>
public static class UserPermissions
{
    public static readonly Permission Manage = new("users.manage", Administrator);
}
