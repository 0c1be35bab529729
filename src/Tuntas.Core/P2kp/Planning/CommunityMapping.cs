using Tuntas.Collaboration.Ranking;
using Tuntas.Registry;

namespace Tuntas.P2kp.Planning;

/// <summary>
/// Pemetaan swadaya (docs/p2kp.md, "Planning with the community"): the community maps its own poor, RT by RT — each
/// registry family of the RT as miskin, hampir miskin or tidak miskin for a year — and the mapping is compared with the
/// registry's deciles the same way as the village's welfare ranking (<see cref="CommunityRanking.CompareWithDecilesAsync"/>):
/// families the community calls miskin while the model ranks them desil 6–10, and tidak miskin while ranked desil 1–2.
/// Recording is for those who manage P2KP in the desa; reading, with names, for those who see its members.
/// </summary>
public sealed class CommunityMapping(TuntasDb db, TuntasDatabase database, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions>? regency = null)
{
    public const int Miskin = 1;
    public const int HampirMiskin = 2;
    public const int TidakMiskin = 3;

    public static readonly IReadOnlyList<(int Code, string Name, string NameEn)> Categories =
        [(Miskin, "miskin", "poor"), (HampirMiskin, "hampir miskin", "near poor"), (TidakMiskin, "tidak miskin", "not poor")];

    /// <param name="Categories">Family id → category (1–3 or its name, e.g. "hampir miskin"); an empty value leaves the family unmapped.</param>
    public sealed record Input(string KodeDesa, string? Rt, int Year, IReadOnlyDictionary<long, string?> Categories, string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(int Recorded, IReadOnlyList<Problem> Problems);

    public sealed record RtCount(string Rt, int Families, int Miskin, int HampirMiskin, int TidakMiskin);

    public sealed record FamilyRow(long FamilyId, string NoKkMasked, string? Head, int? Category);

    /// <param name="Families">The families of the RT asked for, with their category this year (empty without an RT).</param>
    public sealed record Overview(string KodeDesa, int Year, IReadOnlyList<RtCount> Rts, string? Rt, IReadOnlyList<FamilyRow> Families,
        CommunityRanking.Outcome Comparison);

    /// <summary>RT numbers are written "3", "03" or "003": compared without leading zeros.</summary>
    public static string NormalRt(string? rt)
    {
        var text = (rt ?? "").Trim();
        var digits = text.TrimStart('0');
        return text.Length == 0 ? "" : digits.Length == 0 ? "0" : digits;
    }

    public static int? ParseCategory(string? text)
    {
        var value = (text ?? "").Trim().Replace('_', ' ').Replace('-', ' ');
        return Categories.FirstOrDefault(c => value == c.Code.ToString(CultureInfo.InvariantCulture) || string.Equals(value, c.Name, StringComparison.OrdinalIgnoreCase)) is { Code: > 0 } found
            ? found.Code : null;
    }

    public async Task<Outcome> RecordAsync(Input input, CancellationToken cancellationToken)
    {
        if (!P2kpAccess.MayManage(input.Role, input.Scope, input.KodeDesa))
        {
            return new(0, [P2kpAccess.Forbidden()]);
        }
        var problems = new List<Problem>();
        var rt = NormalRt(input.Rt);
        if (rt.Length == 0 || rt.Length > 3 || !rt.All(char.IsAsciiDigit))
        {
            problems.Add(new("Rt", "REQUIRED", "Sebutkan nomor RT (1–3 angka).", "Give the RT number (1–3 digits)."));
        }
        if (YearProblem(input.Year) is { } year)
        {
            problems.Add(year);
        }
        var parsed = new Dictionary<long, int>();
        foreach (var (family, text) in input.Categories)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            if (ParseCategory(text) is { } category)
            {
                parsed[family] = category;
            }
            else
            {
                // The family id only: no name or NO_KK in messages.
                problems.Add(new(string.Create(CultureInfo.InvariantCulture, $"Categories[{family}]"), "INVALID_CODE",
                    "Kategori: miskin, hampir miskin atau tidak miskin.", "Category: miskin (poor), hampir miskin (near poor) or tidak miskin (not poor)."));
            }
        }
        if (parsed.Count == 0 && problems.Count == 0)
        {
            problems.Add(new("Categories", "REQUIRED", "Isi kategori sedikitnya satu keluarga.", "Give at least one family's category."));
        }
        var ids = parsed.Keys.ToList();
        var inRt = (await db.Families.AsNoTracking().Where(f => ids.Contains(f.Id) && f.KodeDesa == input.KodeDesa).Select(f => new { f.Id, f.Rt }).ToListAsync(cancellationToken))
            .Where(f => NormalRt(f.Rt) == rt).Select(f => f.Id).ToHashSet();
        if (inRt.Count != ids.Count)
        {
            problems.Add(new("Categories", "FAMILY_NOT_IN_RT", string.Create(CultureInfo.InvariantCulture, $"{ids.Count - inRt.Count} keluarga tidak ada di RT ini dalam data terpadu."),
                string.Create(CultureInfo.InvariantCulture, $"{ids.Count - inRt.Count} families are not in this RT in the registry.")));
        }
        if (problems.Count > 0)
        {
            return new(0, problems);
        }
        await WriteAsync(input.KodeDesa, input.Year, parsed.Select(p => (p.Key, rt, p.Value)), input.Actor, cancellationToken);
        return new(parsed.Count, []);
    }

    /// <summary>A mapping is for a year from 2000 to next year (the community maps ahead of the plan).</summary>
    internal Problem? YearProblem(int year)
    {
        var thisYear = Regions.RegencyOptions.Of(regency).Today(clock).Year;
        return year < 2000 || year > thisYear + 1
            ? new("Year", "OUT_OF_RANGE", string.Create(CultureInfo.InvariantCulture, $"Tahun pemetaan 2000–{thisYear + 1}."),
                string.Create(CultureInfo.InvariantCulture, $"Mapping year 2000–{thisYear + 1}."))
            : null;
    }

    /// <summary>Writes checked categories (family, its RT, category) of a desa's year; a family has one category per year, so a new one replaces it.</summary>
    internal async Task WriteAsync(string kodeDesa, int year, IEnumerable<(long FamilyId, string Rt, int Category)> entries, string actor, CancellationToken cancellationToken)
    {
        var rows = entries.ToList();
        var ids = rows.Select(r => r.FamilyId).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.CommunityMaps.Where(m => m.Year == year && ids.Contains(m.FamilyId)).ExecuteDeleteAsync(cancellationToken);
        db.CommunityMaps.AddRange(rows.Select(r => new CommunityMapEntry
        {
            KodeDesa = kodeDesa,
            Rt = r.Rt,
            FamilyId = r.FamilyId,
            Year = year,
            Category = r.Category,
            RecordedBy = actor,
            RecordedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The desa's mapping of a year: counts per RT (the registry's RTs and those mapped), one RT's families, the comparison with the deciles. Null outside the reader's villages.</summary>
    public async Task<Overview?> ReadAsync(string kodeDesa, int year, string? rt, string role, AccessScope scope, CancellationToken cancellationToken)
    {
        if (!P2kpAccess.MaySeeMembers(role, scope, kodeDesa))
        {
            return null;
        }
        var maps = await db.CommunityMaps.AsNoTracking().Where(m => m.KodeDesa == kodeDesa && m.Year == year).ToListAsync(cancellationToken);
        var families = await db.Families.AsNoTracking().Where(f => f.KodeDesa == kodeDesa).Select(f => new { f.Id, f.Rt }).ToListAsync(cancellationToken);
        var byFamily = maps.ToDictionary(m => m.FamilyId, m => m.Category);
        var rts = families.GroupBy(f => NormalRt(f.Rt)).Where(g => g.Key.Length > 0)
            .Select(g => new RtCount(g.Key, g.Count(),
                g.Count(f => byFamily.GetValueOrDefault(f.Id) == Miskin), g.Count(f => byFamily.GetValueOrDefault(f.Id) == HampirMiskin),
                g.Count(f => byFamily.GetValueOrDefault(f.Id) == TidakMiskin)))
            .OrderBy(r => r.Rt.Length).ThenBy(r => r.Rt, StringComparer.Ordinal).ToList();
        var wanted = NormalRt(rt);
        IReadOnlyList<FamilyRow> rows = [];
        if (wanted.Length > 0)
        {
            var ids = families.Where(f => NormalRt(f.Rt) == wanted).Select(f => f.Id).ToList();
            rows = [.. (await db.Families.AsNoTracking().Where(f => ids.Contains(f.Id))
                    .Select(f => new { f.Id, f.NoKk, Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() })
                    .ToListAsync(cancellationToken))
                .OrderBy(f => f.Head, StringComparer.Ordinal)
                .Select(f => new FamilyRow(f.Id, NoKk.Mask(f.NoKk), f.Head, byFamily.TryGetValue(f.Id, out var c) ? c : null))];
        }
        var comparison = await CommunityRanking.CompareWithDecilesAsync(db, database, kodeDesa, byFamily, Miskin, TidakMiskin, cancellationToken);
        return new Overview(kodeDesa, year, rts, wanted.Length > 0 ? wanted : null, rows, comparison);
    }
}
