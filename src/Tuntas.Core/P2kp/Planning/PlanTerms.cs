namespace Tuntas.P2kp.Planning;

/// <summary>The words of a BKM's plans (docs/p2kp.md, "Planning with the community").</summary>
public static class PlanTerms
{
    /// <summary>PJM Pronangkis: the BKM's three-year medium-term poverty reduction plan.</summary>
    public const string Pjm = "PJM";

    /// <summary>Renta: the yearly plan, one year of a PJM.</summary>
    public const string Renta = "RENTA";

    public const int PjmYears = 3;

    public static readonly IReadOnlyList<string> Kinds = [Pjm, Renta];

    /// <summary>The three pillars (tridaya) and the BKM unit that carries each: UPK, UPS, UPL.</summary>
    public static readonly IReadOnlyList<(string Code, string Unit)> Pillars = [("EKONOMI", "UPK"), ("SOSIAL", "UPS"), ("LINGKUNGAN", "UPL")];

    public static readonly IReadOnlyList<string> Sources = ["BLM_APBN", "APBD", "APBDES", "SWADAYA", "CSR"];

    public const string Csr = "CSR";
}
