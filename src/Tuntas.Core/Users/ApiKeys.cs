using System.Security.Cryptography;

namespace Tuntas.Users;

/// <summary>API keys are stored as SHA-256 only: a leaked database does not leak usable keys.</summary>
public static class ApiKeys
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
