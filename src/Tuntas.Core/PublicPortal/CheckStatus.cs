using Tuntas.Data;
using Tuntas.Programs;
using Tuntas.Registry;

namespace Tuntas.PublicPortal;

/// <summary>
/// The citizen's status check (issue #7 §1), without sign-in: NIK plus name, or NIK plus NO_KK. Answers only whether
/// the family is in the integrated data and which programs it receives this period (open enrollments of the family or
/// its members, with "aktif" or "ditangguhkan"), with the matched name masked — no address, no birth date, no NO_KK.
/// <para>
/// NIK is guessable (region + birth date + a small serial, DOMAIN §4.1), so the answer must not tell "this NIK exists"
/// from "this NIK exists but the name is wrong": both get the same shape (<see cref="Outcome.Found"/> false, the same
/// message, no programs) and run the same single statement and the same name comparison, so their timing differs by
/// no more than reading a few more rows. Enumeration is stopped by
/// <see cref="PublicRateLimits"/> (per client, per NIK, per NIK prefix); nothing here lists people.
/// </para>
/// </summary>
public sealed class CheckStatus(TuntasDatabase database)
{
    /// <summary>Jaro-Winkler similarity of the name keys above which a typed name is the registered one (typos, spelling variants).</summary>
    public const double NameThreshold = 0.90;

    public sealed record Input(string? Nik, string? Nama, string? NoKk);

    public sealed record ProgramStatus(string Kode, string Nama, string Status);

    /// <summary><see cref="Problem"/> is set (and nothing looked up) when the input itself is malformed.</summary>
    public sealed record Outcome(bool Found, string? NamaTersamar, IReadOnlyList<ProgramStatus> Program, string? Problem, string? ProblemEn);

    public static readonly Outcome NotFound = new(false, null, [], null, null);

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
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long? familyId = null;
        string? name = null;
        string? registeredNoKk = null;
        var programs = new List<ProgramStatus>();
        await using (var command = connection.CreateCommand())
        {
            // One statement, one round trip: the person, their family's NO_KK and the family's open enrollments (of the
            // family and of its members, e.g. PIP). MIN over the statuses: "ditangguhkan" < "terdaftar", so a program
            // suspended for any member shows as suspended.
            command.CommandText = $"""
                SELECT p.family_id, p.nama, f.no_kk, pr.code, pr.name, MIN(e.status)
                FROM persons p
                JOIN families f ON f.id = p.family_id
                LEFT JOIN enrollments e ON e.family_id = p.family_id AND e.status <> '{ProgramTerms.Exited}'
                LEFT JOIN programs pr ON pr.id = e.program_id
                WHERE p.nik = @nik AND p.status_hidup = 1
                GROUP BY p.family_id, p.nama, f.no_kk, pr.code, pr.name
                ORDER BY pr.code
                """;
            command.AddParameter("@nik", nik);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                (familyId, name, registeredNoKk) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
                if (!reader.IsDBNull(3))
                {
                    programs.Add(new ProgramStatus(reader.GetString(3), reader.GetString(4), reader.GetString(5) == ProgramTerms.Enrolled ? "aktif" : "ditangguhkan"));
                }
            }
        }
        // The comparison runs whether or not the NIK was found (against a stand-in), so both refusals cost the same.
        var matches = byName
            ? JaroWinkler.Similarity(NameKey.For(input.Nama), NameKey.For(name ?? "tidak ada")) >= NameThreshold
            : string.Equals(noKk, registeredNoKk ?? "0000000000000000", StringComparison.Ordinal);
        return familyId is not null && matches ? new Outcome(true, MaskName(name!), programs, null, null) : NotFound;
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
