namespace Tuntas.Web;

/// <summary>The regency this installation serves (<c>Tuntas:Regency</c>, a Kemendagri regency code; default 33.14 Sragen, the demo).</summary>
public static class RegencySetting
{
    public const string Default = "33.14";

    public static string Regency(this IConfiguration configuration) =>
        configuration["Tuntas:Regency"] is { Length: > 0 } code ? code : Default;
}
