namespace Tuntas.P2kp.Planning;

/// <summary>
/// Pemetaan swadaya from a CSV file (docs/p2kp.md): the community's categories for a desa's families in a year, many
/// RTs at once, as the facilitator types them from the RT meetings' sheets. Columns (header row, comma or semicolon):
/// <c>NO_KK</c>, <c>KATEGORI</c> (miskin, hampir miskin, tidak miskin or 1–3; empty leaves the family unmapped) and
/// optionally <c>RT</c>, which must be the family's RT in the registry. Each family is found by its NO_KK among the
/// desa's families; the same checks as <see cref="CommunityMapping.RecordAsync"/>, with the row and column of each
/// error (never the NO_KK itself); any error writes nothing.
/// </summary>
public sealed class ImportCommunityMapping(TuntasDb db, CommunityMapping mapping)
{
    public const int MaxRows = 20_000;

    public sealed record Input(string KodeDesa, int Year, TextReader Csv, bool DryRun, string Actor, string Role, AccessScope Scope);

    public sealed record RowIssue(int Row, string Column, string Code, string Message, string MessageEn);

    /// <param name="Problems">Refusals of the whole file (access, year, a missing column).</param>
    public sealed record Outcome(int Rows, int Recorded, bool Written, IReadOnlyList<Problem> Problems, IReadOnlyList<RowIssue> Errors);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (!P2kpAccess.MayManage(input.Role, input.Scope, input.KodeDesa))
        {
            return new(0, 0, false, [P2kpAccess.Forbidden()], []);
        }
        var header = await input.Csv.ReadLineAsync(cancellationToken);
        var delimiter = header is not null && header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        var columns = header is null ? [] : Data.Csv.SplitLine(header.TrimStart('\uFEFF'), delimiter).Select(c => c.Trim().ToUpperInvariant()).ToList();
        var (noKk, kategori, rtColumn) = (columns.IndexOf("NO_KK"), columns.IndexOf("KATEGORI"), columns.IndexOf("RT"));
        var problems = new List<Problem>();
        if (mapping.YearProblem(input.Year) is { } year)
        {
            problems.Add(year);
        }
        if (noKk < 0 || kategori < 0)
        {
            problems.Add(new("file", "COLUMN_MISSING", "Kolom NO_KK dan KATEGORI wajib ada di baris judul.", "The header row needs the columns NO_KK and KATEGORI."));
        }
        if (problems.Count > 0)
        {
            return new(0, 0, false, problems, []);
        }
        var lines = new List<(int Row, string NoKk, string Category, string? Rt)>();
        var row = 1;
        while (await input.Csv.ReadLineAsync(cancellationToken) is { } line)
        {
            row++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (lines.Count == MaxRows)
            {
                return new(lines.Count, 0, false, [new("file", "OUT_OF_RANGE", string.Create(CultureInfo.InvariantCulture, $"Paling banyak {MaxRows:N0} baris."), string.Create(CultureInfo.InvariantCulture, $"At most {MaxRows:N0} rows."))], []);
            }
            var fields = Data.Csv.SplitLine(line, delimiter);
            string Cell(int i) => i >= 0 && i < fields.Count ? fields[i].Trim() : "";
            lines.Add((row, Cell(noKk), Cell(kategori), rtColumn >= 0 ? Cell(rtColumn) : null));
        }
        var wanted = lines.Select(l => l.NoKk).Where(k => k.Length > 0).Distinct().ToList();
        var families = (await db.Families.AsNoTracking().Where(f => f.KodeDesa == input.KodeDesa && wanted.Contains(f.NoKk))
            .Select(f => new { f.Id, f.NoKk, f.Rt }).ToListAsync(cancellationToken)).ToDictionary(f => f.NoKk);
        var errors = new List<RowIssue>();
        var entries = new Dictionary<long, (long FamilyId, string Rt, int Category)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (at, kk, text, rt) in lines)
        {
            if (kk.Length == 0)
            {
                errors.Add(new(at, "NO_KK", "REQUIRED", "NO_KK kosong.", "NO_KK is empty."));
                continue;
            }
            if (!seen.Add(kk))
            {
                errors.Add(new(at, "NO_KK", "DUPLICATE_KEY", "Keluarga ini sudah ada di baris sebelumnya.", "This family is already on an earlier row."));
                continue;
            }
            if (!families.TryGetValue(kk, out var family))
            {
                errors.Add(new(at, "NO_KK", "FAMILY_NOT_IN_RT", "NO_KK tidak ada di desa ini dalam data terpadu.", "No family of this desa has this NO_KK in the registry."));
                continue;
            }
            if (rt is { Length: > 0 } && CommunityMapping.NormalRt(rt) != CommunityMapping.NormalRt(family.Rt))
            {
                errors.Add(new(at, "RT", "FAMILY_NOT_IN_RT", "Keluarga ini tidak di RT tersebut dalam data terpadu.", "The family is not in that RT in the registry."));
                continue;
            }
            if (text.Length == 0)
            {
                continue;
            }
            if (CommunityMapping.ParseCategory(text) is not { } category)
            {
                errors.Add(new(at, "KATEGORI", "INVALID_CODE", "Kategori: miskin, hampir miskin atau tidak miskin.", "Category: miskin (poor), hampir miskin (near poor) or tidak miskin (not poor)."));
                continue;
            }
            entries[family.Id] = (family.Id, CommunityMapping.NormalRt(family.Rt), category);
        }
        if (errors.Count == 0 && entries.Count == 0)
        {
            problems.Add(new("file", "REQUIRED", "Isi kategori sedikitnya satu keluarga.", "Give at least one family's category."));
        }
        if (errors.Count > 0 || problems.Count > 0 || input.DryRun)
        {
            return new(lines.Count, 0, false, problems, errors);
        }
        await mapping.WriteAsync(input.KodeDesa, input.Year, entries.Values, input.Actor, cancellationToken);
        return new(lines.Count, entries.Count, true, [], []);
    }
}
