using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Collaboration.Ranking;

/// <summary>
/// A family's class in the community's welfare ranking (Participatory Poverty Assessment, DOMAIN §8.1: the village sorts
/// its households' cards into local classes), recorded for one session (e.g. "musdes 2026-11").
/// </summary>
public sealed class CommunityRank
{
    public long Id { get; set; }
    public required string KodeDesa { get; set; }
    public long FamilyId { get; set; }
    /// <summary>1 sangat miskin, 2 miskin, 3 sedang, 4 mampu.</summary>
    public int Class { get; set; }
    public required string Session { get; set; }
    public required string RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class CommunityRankConfiguration : IEntityTypeConfiguration<CommunityRank>
{
    public void Configure(EntityTypeBuilder<CommunityRank> builder) => builder.ToTable("community_rankings");
}

/// <summary>
/// Hybrid targeting (Alatas et al. 2012, "Targeting the Poor", AER: community ranking and PMT err in
/// different places): records a village's community welfare ranking and compares it with the latest targeting run's
/// deciles. Families the community calls very poor (class 1) while the model ranks them in desil 6–10, and families the
/// community calls well-off (class 4) while the model ranks them in desil 1–2, are listed by name for the village
/// meeting, with the rank correlation of the two orderings.
/// </summary>
public sealed class CommunityRanking(TuntasDb db, TuntasDatabase database, TimeProvider clock)
{
    public static readonly IReadOnlyList<CollaborationTerms.Term> Classes =
    [
        new("1", "Sangat miskin", "Very poor"),
        new("2", "Miskin", "Poor"),
        new("3", "Sedang", "Middle"),
        new("4", "Mampu", "Well-off"),
    ];

    /// <summary>Lines "NO_KK;KELAS" (or tab or comma separated; the class as 1–4 or its name). All checked first; nothing is written if any line is wrong.</summary>
    public async Task<(int Recorded, IReadOnlyList<Problem> Problems)> RecordAsync(string kodeDesa, string? session, string? lines, string actor, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var name = (session ?? "").Trim();
        if (name.Length is < 3 or > 60)
        {
            problems.Add(new("Session", "SESSION", "Sebutkan sesi pemeringkatan (mis. musdes 2026-11).", "Name the ranking session (e.g. musdes 2026-11)."));
        }
        var parsed = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in (lines ?? "").Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var parts = line.Split([';', '\t', ','], 2, StringSplitOptions.TrimEntries);
            var digits = new string([.. parts[0].Where(char.IsAsciiDigit)]);
            var cls = parts.Length < 2 ? null : Classes.FirstOrDefault(c => c.Code == parts[1] || string.Equals(c.Name, parts[1], StringComparison.OrdinalIgnoreCase));
            // Line numbers only: a NO_KK is personal data and stays out of messages.
            if (digits.Length != 16 || cls is null)
            {
                problems.Add(new("Lines", "LINE_FORMAT", string.Create(CultureInfo.InvariantCulture, $"Baris {number}: tulis NO_KK;KELAS (kelas 1–4 atau namanya)."),
                    string.Create(CultureInfo.InvariantCulture, $"Line {number}: write NO_KK;CLASS (class 1–4 or its name).")));
            }
            else if (!parsed.TryAdd(digits, int.Parse(cls.Code, CultureInfo.InvariantCulture)))
            {
                problems.Add(new("Lines", "LINE_DUPLICATE", string.Create(CultureInfo.InvariantCulture, $"Baris {number}: keluarga ini sudah ada di baris sebelumnya."),
                    string.Create(CultureInfo.InvariantCulture, $"Line {number}: this family is on an earlier line.")));
            }
        }
        var numbers = parsed.Keys.ToList();
        var families = await db.Families.AsNoTracking().Where(f => numbers.Contains(f.NoKk) && f.KodeDesa == kodeDesa).Select(f => new { f.Id, f.NoKk })
            .ToListAsync(cancellationToken);
        if (families.Count != numbers.Count)
        {
            problems.Add(new("Lines", "FAMILY_NOT_IN_VILLAGE", string.Create(CultureInfo.InvariantCulture, $"{numbers.Count - families.Count} NO_KK tidak ada di data desa ini."),
                string.Create(CultureInfo.InvariantCulture, $"{numbers.Count - families.Count} NO_KK are not in this village's data.")));
        }
        if (numbers.Count == 0)
        {
            problems.Add(new("Lines", "LINES_EMPTY", "Isi peringkat keluarga, satu per baris.", "Enter the families' classes, one per line."));
        }
        if (problems.Count > 0)
        {
            return (0, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = families.Select(f => f.Id).ToList();
        await db.CommunityRankings.Where(r => r.KodeDesa == kodeDesa && r.Session == name && ids.Contains(r.FamilyId)).ExecuteDeleteAsync(cancellationToken);
        db.CommunityRankings.AddRange(families.Select(f => new CommunityRank
        {
            KodeDesa = kodeDesa,
            FamilyId = f.Id,
            Class = parsed[f.NoKk],
            Session = name,
            RecordedBy = actor,
            RecordedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (families.Count, []);
    }

    public sealed record Mismatch(long FamilyId, string NoKkMasked, string? Head, int CommunityClass, int Desil, string Kind);

    public sealed record Outcome(int Ranked, int WithDesil, double? Spearman, IReadOnlyList<Mismatch> CommunityPoorModelRich, IReadOnlyList<Mismatch> CommunityRichModelPoor);

    /// <summary>The latest ranking of each family of the village against the latest targeting run's desil.</summary>
    public async Task<Outcome> CompareAsync(string kodeDesa, CancellationToken cancellationToken)
    {
        var ranks = (await db.CommunityRankings.AsNoTracking().Where(r => r.KodeDesa == kodeDesa).OrderBy(r => r.RecordedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken))
            .GroupBy(r => r.FamilyId).ToDictionary(g => g.Key, g => g.Last().Class);
        return await CompareWithDecilesAsync(db, database, kodeDesa, ranks, 1, 4, cancellationToken);
    }

    /// <summary>
    /// Any community classification of a village's families against the latest targeting run's desil — the welfare
    /// ranking here, P2KP's pemetaan swadaya (docs/p2kp.md) — with classes numbered from the poorest: families in the
    /// <paramref name="poorest"/> class ranked desil 6–10, and in the <paramref name="richest"/> class ranked desil 1–2,
    /// by name, and the rank correlation of the two orderings.
    /// </summary>
    public static async Task<Outcome> CompareWithDecilesAsync(TuntasDb db, TuntasDatabase database, string kodeDesa, IReadOnlyDictionary<long, int> ranks,
        int poorest, int richest, CancellationToken cancellationToken)
    {
        var runId = await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        var desil = new Dictionary<long, int>();
        if (runId is { } run && ranks.Count > 0)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT family_id, desil FROM targeting_results WHERE run_id = @run AND kode_desa = @desa AND desil IS NOT NULL";
            command.AddParameter("@run", run);
            command.AddParameter("@desa", kodeDesa);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                desil[reader.GetInt64(0)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }
        var pairs = ranks.Where(r => desil.ContainsKey(r.Key)).Select(r => (Family: r.Key, Class: r.Value, Desil: desil[r.Key])).ToList();
        var poorRich = pairs.Where(p => p.Class == poorest && p.Desil >= 6).ToList();
        var richPoor = pairs.Where(p => p.Class == richest && p.Desil <= 2).ToList();
        var listed = poorRich.Concat(richPoor).Select(p => p.Family).ToList();
        var rows = await db.Families.AsNoTracking().Where(f => listed.Contains(f.Id))
            .Select(f => new { f.Id, f.NoKk, Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() })
            .ToDictionaryAsync(f => f.Id, cancellationToken);
        Mismatch M((long Family, int Class, int Desil) p, string kind) =>
            new(p.Family, NoKk.Mask(rows[p.Family].NoKk), rows[p.Family].Head, p.Class, p.Desil, kind);
        return new Outcome(ranks.Count, pairs.Count, Spearman(pairs.Select(p => ((double)p.Class, (double)p.Desil)).ToList()),
            [.. poorRich.OrderByDescending(p => p.Desil).Select(p => M(p, "komunitas-miskin-model-mampu"))],
            [.. richPoor.OrderBy(p => p.Desil).Select(p => M(p, "komunitas-mampu-model-miskin"))]);
    }

    /// <summary>Spearman's rank correlation with average ranks for ties; null under 5 pairs.</summary>
    public static double? Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        if (pairs.Count < 5)
        {
            return null;
        }
        static double[] Ranks(IReadOnlyList<double> values)
        {
            var order = values.Select((v, i) => (v, i)).OrderBy(x => x.v).ToList();
            var ranks = new double[values.Count];
            for (var start = 0; start < order.Count;)
            {
                var end = start;
                while (end + 1 < order.Count && order[end + 1].v == order[start].v)
                {
                    end++;
                }
                for (var k = start; k <= end; k++)
                {
                    ranks[order[k].i] = (start + end) / 2.0 + 1;
                }
                start = end + 1;
            }
            return ranks;
        }
        var rx = Ranks([.. pairs.Select(p => p.X)]);
        var ry = Ranks([.. pairs.Select(p => p.Y)]);
        var (mx, my) = (rx.Average(), ry.Average());
        var cov = rx.Zip(ry).Sum(p => (p.First - mx) * (p.Second - my));
        var vx = rx.Sum(x => (x - mx) * (x - mx));
        var vy = ry.Sum(y => (y - my) * (y - my));
        return vx == 0 || vy == 0 ? null : Math.Round(cov / Math.Sqrt(vx * vy), 3);
    }
}
