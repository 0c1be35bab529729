using Tuntas.Programs;

namespace Tuntas.P2kp.Works;

/// <summary>The kinds of the UPS's social grants (DOMAIN §6: the social pillar of the tridaya).</summary>
public static class GrantTerms
{
    public static readonly IReadOnlyList<Term> Kinds =
    [
        new("SANTUNAN", "santunan (lansia, yatim, disabilitas)", "allowance (elderly, orphans, disability)"),
        new("BEASISWA", "beasiswa / biaya sekolah", "scholarship / school costs"),
        new("KESEHATAN", "bantuan kesehatan", "health costs"),
        new("PANGAN", "bantuan pangan", "food"),
        new("RUMAH", "perbaikan rumah", "house repair"),
        new("LAINNYA", "lainnya", "other"),
    ];
}
