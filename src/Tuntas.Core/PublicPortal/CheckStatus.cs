using Tuntas.Programs;
using Tuntas.Registry;

namespace Tuntas.PublicPortal;

/// <summary>
/// The citizen's status check, without sign-in: NIK plus name, or NIK plus NO_KK. Answers only whether
/// the family is in the integrated data and which programs it receives this period (open enrollments of the family or
/// its members, with "aktif" or "ditangguhkan"), with the matched name masked — no address, no birth date, no NO_KK.
/// <para>
/// NIK is guessable (region + birth date + a small serial, DOMAIN §4.1), so the answer must not tell "this NIK exists"
/// from "this NIK exists but the name is wrong": both get the same shape (<see cref="Outcome.Found"/> false, the same
/// message, no programs) and do the same work. An unknown NIK would otherwise be cheaper — no family to join, no
/// enrollments to read, no registered name to compare — and a probe measured it (a known NIK with a wrong name was
/// slower, z = −6.8). So the first statement always reads exactly one person with its family's NO_KK: the NIK's, or
/// when there is none a stand-in (the registry's first person); the typed name is compared with that person's name
/// either way, and only then is the stand-in thrown away. The programs are read only for a match, whose answer
/// differs anyway — so no family's enrollments can make "wrong name" slower than "no such NIK". The reads are those
/// of <see cref="StatusLookups"/>, which gathers the checks in flight into one statement.
/// Enumeration is stopped by
/// <see cref="PublicRateLimits"/> (per client, per NIK, per NIK prefix); nothing here lists people.
/// </para>
/// </summary>
public sealed class CheckStatus(StatusLookups lookups)
{
    /// <summary>Jaro-Winkler similarity of the name keys above which a typed name is the registered one (typos, spelling variants).</summary>
    public const double NameThreshold = 0.90;

    public sealed record Input(string? Nik, string? Nama, string? NoKk);

    public sealed record ProgramStatus(string Kode, string Nama, string Status);

    /// <summary><see cref="Problem"/> is set (and nothing looked up) when the input itself is malformed.</summary>
    public sealed record Outcome(bool Found, string? NamaTersamar, IReadOnlyList<ProgramStatus> Program, string? Problem, string? ProblemEn);

    public static readonly Outcome NotFound = new(false, null, [], null, null);

    /// <summary>What the citizen reads, the same on the portal page and from the API. "Not found" is one message for an
    /// unknown NIK and a wrong name alike, and points to the complaint a missing family files.</summary>
    public const string FoundMessage = "Keluarga Anda terdaftar dalam data terpadu.";
    public const string FoundMessageEn = "Your family is in the integrated data.";
    public const string NotFoundMessage = "Data tidak ditemukan untuk NIK dan nama/NO_KK ini. Periksa kembali, atau ajukan pengaduan \"tidak terdaftar\".";
    public const string NotFoundMessageEn = "No data found for this NIK and name/NO_KK. Check again, or file a \"not registered\" complaint.";

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var nik = Digits(input.Nik);
        if (nik is null)
        {
            return new Outcome(false, null, [], "NIK harus 16 angka.", "NIK must be 16 digits.");
        }
        var byName = !string.IsNullOrWhiteSpace(input.Nama);
        var noKk = Digits(input.NoKk);
        if (byName == (noKk is not null) || (byName && input.Nama!.Length > 100) || (!byName && input.NoKk is { Length: > 0 } && noKk is null))
        {
            return new Outcome(false, null, [], "Isi NIK dan nama lengkap, atau NIK dan NO_KK (16 angka).",
                "Give the NIK and full name, or the NIK and NO_KK (16 digits).");
        }
        // The comparison runs against whoever was read (the NIK's person or the stand-in), so both refusals cost the same.
        var found = await lookups.FindAsync(nik, person =>
        {
            var matches = byName
                ? JaroWinkler.Similarity(NameKey.For(input.Nama), NameKey.For(person?.Nama ?? "tidak ada")) >= NameThreshold
                : string.Equals(noKk, person?.NoKk ?? "0000000000000000", StringComparison.Ordinal);
            return person is not null && person.Nik == nik && matches;
        }, cancellationToken);
        return found.Matched ? new Outcome(true, MaskName(found.Person!.Nama), found.Programs, null, null) : NotFound;
    }

    /// <summary>"Sri Lestari" → "S** L******": enough for the citizen to see it is them, not enough to learn a name.</summary>
    public static string MaskName(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[..1] + new string('*', Math.Max(1, w.Length - 1))));

    private static string? Digits(string? text)
    {
        var trimmed = (text ?? "").Trim().TrimStart('\'');
        if (trimmed.Length is 0 or > 24 || !trimmed.All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '-'))
        {
            return null;
        }
        var digits = new string([.. trimmed.Where(char.IsAsciiDigit)]);
        return digits.Length == 16 ? digits : null;
    }
}
