using Tuntas.Imports.Profiles;
using Tuntas.Imports.Tabular;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// What an import would read, before it is queued (docs/import-profiles.md, "Preview"): the profile detected or
/// chosen, the column mapping (file column → registry field), the file's columns that are not read, the header's
/// findings, and the first rows as the import will read them — translated, NIK and NO_KK masked. Reads the file only;
/// the database is not touched: what the import takes from the registry (a DTKS workbook's never-schooled persons) the
/// caller reads first (<see cref="WithRegistryAsync"/>). Callers record it as a personal-data read (names are shown).
/// </summary>
public static class PreviewImport
{
    /// <param name="Rows">How many data rows to show.</param>
    /// <param name="RegionScope">The previewing user's region (a village operator's village): a row of another village
    /// is flagged as the import would refuse it; null = regency-wide.</param>
    /// <param name="SourceName">The file's name as uploaded (the stored copy's is random): an OpenSID or DTKS file
    /// without a village given goes to the village it is named after (<see cref="Profiles.VillageInFileName"/>).</param>
    /// <param name="Today">The regency's today, against which birth dates are judged as the import judges them
    /// (<see cref="Regions.RegencyOptions.Today"/>); null = the default regency's by the system clock.</param>
    /// <param name="NeverSchooled">The registry's never-schooled NIKs of <see cref="NeverSchooledVillage"/>, read by a caller
    /// that holds the database (<see cref="WithRegistryAsync"/>): a DTKS 415 = 23 without 412 shows the 1 the import keeps
    /// (<see cref="ProfileContext.RegisteredNeverSchooled"/>). Null = none known: such a person shows 2.</param>
    /// <param name="VillageKnown">Whether the region table holds the village the file goes to, read by a caller that holds
    /// the database (<see cref="WithRegistryAsync"/>): false refuses the file at its header, as the import does
    /// (<see cref="ProfileContext.VillageExists"/>). Null = not checked.</param>
    public sealed record Input(string FilePath, string? Profile, string? Village, int Rows = 5, string? RegionScope = null, string? SourceName = null,
        DateOnly? Today = null, IReadOnlySet<string>? NeverSchooled = null, bool? VillageKnown = null);

    /// <summary>One registry field the file fills, and the file's column it comes from.</summary>
    public sealed record Column(string FileColumn, string Field, string Label, string LabelEn);

    /// <summary>A data row as read: its row number in the file, one value per <see cref="Outcome.Fields"/>, and the
    /// profile's findings on it (an unknown code).</summary>
    public sealed record Row(long Number, IReadOnlyList<string> Values, IReadOnlyList<ImportIssue> Issues);

    /// <param name="Unmapped">The layout's own columns the registry does not read (OpenSID's religion, documents, parents).</param>
    /// <param name="Unknown">Columns no layout knows (a note a village added): the import names each
    /// (<c>COLUMN_UNKNOWN</c>) and skips it. Listed apart from <paramref name="Unmapped"/>, so that a misspelt column
    /// does not hide among the ones left out on purpose.</param>
    /// <param name="Problems">Findings that refuse the whole file (its header, its village): the import would write
    /// nothing, so the preview offers no import (<see cref="Outcome.Refused"/>).</param>
    /// <param name="NikKecamatan">An OpenSID or DTKS file's village and the kecamatan its Dukcapil NIKs were issued in,
    /// counted over the whole file, with the file's NO_KKs in <paramref name="NoKks"/>: what the caller, which has the
    /// registry, judges with <see cref="NikKecamatanCheck.ForPreviewAsync"/>. Null for a file that names its villages.
    /// Neither is ever sent to a caller (the API and <c>--preview --json</c> serialize the outcome): the NO_KKs are whole.</param>
    public sealed record Outcome(string? Profile, string? Sheet, IReadOnlyList<Column> Mapping, IReadOnlyList<string> Unmapped,
        IReadOnlyList<string> Fields, IReadOnlyList<Row> Rows, IReadOnlyList<ImportIssue> Problems, bool FamilyOnly, IReadOnlyList<string>? Unknown = null,
        IReadOnlyList<ImportIssue>? Notes = null,
        [property: System.Text.Json.Serialization.JsonIgnore] NikKecamatanCheck? NikKecamatan = null,
        [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyCollection<string>? NoKks = null)
    {
        public bool Refused => Problems.Count > 0;
    }

    /// <summary>Rows whose NIKs a village's file is judged by at most (<see cref="NikKecamatanCheck"/>).</summary>
    public const int MaxRowsCounted = 50_000;

    private static readonly Dictionary<string, RegistryFields.Rule> _rules =
        FamilyFileLayout.AllRules.ToDictionary(r => r.Column, StringComparer.Ordinal);

    /// <summary>The village the preview reads the file for, as the import would: given, or named by the file's name.</summary>
    private static ProfileContext Context(Input input) =>
        new(input.Village, input.SourceName)
        {
            VillageAllowed = ProfileContext.Within(input.RegionScope),
            VillageExists = input.VillageKnown is { } known ? _ => known : null,
        };

    /// <summary>
    /// The village whose never-schooled persons (<see cref="RegisteredNeverSchooled"/>) the preview of
    /// <paramref name="input"/> needs: the village a DTKS workbook goes to (given, or named by the file's name), when it is
    /// inside the previewer's area. Null, and nothing is read from the registry, when the file cannot be a DTKS workbook
    /// (another profile chosen, a text file) or has no village the import would take (missing, invalid, outside the
    /// area: the preview refuses the file).
    /// </summary>
    public static string? NeverSchooledVillage(Input input)
    {
        if ((input.Profile is { } profile && profile != ImportProfiles.OpenSidDtks) || !TabularReader.IsWorkbook(input.FilePath))
        {
            return null;
        }
        var context = Context(input);
        return context.VillageIssue() is null ? context.Village : null;
    }

    /// <summary>
    /// <paramref name="input"/> with what the import reads from the registry before it reads the file, and the preview
    /// must show as well: the never-schooled NIKs of a DTKS workbook's village (<see cref="NeverSchooledVillage"/>). For the
    /// callers that hold the database (the back office and the API through <c>ImportUploads</c>, the CLI's
    /// <c>--preview</c>), before <see cref="Run"/>, which reads the file only.
    /// </summary>
    public static async Task<Input> WithRegistryAsync(Input input, TuntasDb db, CancellationToken cancellationToken)
    {
        if (new ProfileContext(input.Village, input.SourceName).Village is { } given)
        {
            input = input with { VillageKnown = await db.Regions.AnyAsync(r => r.Code == given && r.Level == Region.Village, cancellationToken) };
        }
        return NeverSchooledVillage(input) is { } village
            ? input with { NeverSchooled = await RegisteredNeverSchooled.LoadAsync(db, village, cancellationToken) }
            : input;
    }

    /// <summary>
    /// The preview as every caller that holds the database shows it (the back office and the API through
    /// <c>ImportUploads</c>, the CLI's <c>--preview</c>): what the import reads from the registry first
    /// (<see cref="WithRegistryAsync"/>), the file (<see cref="Run"/>), then what only the registry can tell — a village's
    /// file whose NIKs were issued in another kecamatan, said as the import will say it: a refusal when the village comes
    /// from the file's name, else a note (<see cref="NikKecamatanCheck.ForPreviewAsync"/>).
    /// </summary>
    public static async Task<Outcome> RunAgainstRegistryAsync(Input input, TuntasDb db, CancellationToken cancellationToken)
    {
        var withRegistry = await WithRegistryAsync(input, db, cancellationToken);
        var preview = await Task.Run(() => Run(withRegistry), cancellationToken);
        if (preview.NikKecamatan is { } nikKecamatan && await nikKecamatan.ForPreviewAsync(db, preview.NoKks ?? [], cancellationToken) is { } found)
        {
            preview = nikKecamatan.FromFileName
                ? preview with { Problems = [.. preview.Problems, found] }
                : preview with { Notes = [.. preview.Notes ?? [], found] };
        }
        if (preview.NikKecamatan is { } village && await RegisteredElsewhereAsync(db, village.Village, input.RegionScope, preview.NoKks ?? [], cancellationToken) is { } elsewhere)
        {
            preview = preview with { Problems = [.. preview.Problems, elsewhere] };
        }
        return preview;
    }

    /// <summary>
    /// A village's file whose registered families are mostly registered elsewhere, as the import judges it once the whole
    /// file is read: outside the previewer's area — a village operator chose the neighbour's file (<c>FILE_OTHER_VILLAGE</c>,
    /// which village not said) — or in another village than the one the file goes to, a mistyped or misread village
    /// code that would move them all (<c>VILLAGE_MISMATCH</c>). Said before the import is queued: the preview offered
    /// the import, which then refused the file. Reads the village of the file's registered NO_KKs; no personal data.
    /// </summary>
    private static async Task<ImportIssue?> RegisteredElsewhereAsync(TuntasDb db, string village, string? scope, IReadOnlyCollection<string> noKks,
        CancellationToken cancellationToken)
    {
        var (registered, elsewhere, outside) = (0, 0, 0);
        string? namedVillage = null;
        foreach (var chunk in noKks.Chunk(500))
        {
            foreach (var code in await db.Families.AsNoTracking().Where(f => chunk.Contains(f.NoKk)).Select(f => f.KodeDesa).ToListAsync(cancellationToken))
            {
                registered++;
                if (code == village)
                {
                    continue;
                }
                elsewhere++;
                if (scope is { Length: > 0 } && !RegionCode.IsWithin(code, scope))
                {
                    outside++;
                    continue;
                }
                namedVillage ??= code;
            }
        }
        // As the import counts them: the families outside the area are refused on their own (their rows, or the whole file
        // when they are most of it), and the village is judged on the families inside it.
        return outside * 2 > registered ? ImportMessages.Issue(1, "NO_KK", null, "FILE_OTHER_VILLAGE", outside, registered)
            : (elsewhere - outside) * 2 > registered - outside && namedVillage is not null
                ? ImportMessages.Issue(1, "KODE_DESA", village, "VILLAGE_MISMATCH", elsewhere - outside, registered - outside, namedVillage, village)
            : null;
    }

    public static Outcome Run(Input input)
    {
        ImportProfiles.Opened opened;
        var context = Context(input);
        if (input.NeverSchooled is { } neverSchooled)
        {
            context.RegisteredNeverSchooled = neverSchooled.Contains;
        }
        try
        {
            opened = ImportProfiles.Open(input.FilePath, input.Profile, context);
        }
        catch (TabularFormatException e)
        {
            return new Outcome(null, null, [], [], [], [], [e.Issue], false);
        }
        using var reader = opened.Reader;
        var profiled = reader as ProfileReader;
        var problems = new List<ImportIssue>();
        var unknown = new List<string>();
        var notes = new List<ImportIssue>();
        if (profiled is not null)
        {
            // An unknown column is a warning of the import; the preview lists it apart, and the other warnings as notes.
            problems.AddRange(profiled.HeaderIssues.Where(i => !ImportMessages.IsHeaderWarning(i.Code)));
            notes.AddRange(profiled.HeaderIssues.Where(i => ImportMessages.IsHeaderWarning(i.Code) && i.Code != "COLUMN_UNKNOWN"));
            unknown.AddRange(profiled.HeaderIssues.Where(i => i.Code == "COLUMN_UNKNOWN" && i.Column is not null).Select(i => i.Column!));
        }
        var headerIssues = new List<ImportIssue>();
        var parser = new FamilyRowParser(reader.Header, false, input.Today ?? Regions.RegencyOptions.Default.Today(TimeProvider.System), _ => true, headerIssues, profiled?.DefaultedColumns);
        // A finding on a Tuntas column named as the file names it (OpenSID's "nik", the DTKS's "Anggota Keluarga!403").
        ImportIssue InFileColumn(ImportIssue i) => profiled is not null && i.Column is { } c && profiled.SourceColumns.TryGetValue(c, out var source) ? i with { Column = source } : i;
        problems.AddRange(headerIssues.Where(i => i.Code != "COLUMN_UNKNOWN").Select(InFileColumn));
        if (profiled is null)
        {
            unknown.AddRange(headerIssues.Where(i => i.Code == "COLUMN_UNKNOWN" && i.Column is not null).Select(i => i.Column!));
        }

        var fields = reader.Header.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        var mapping = new List<Column>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields.Select(f => f.ToUpperInvariant()).Where(_rules.ContainsKey).Distinct())
        {
            var source = profiled?.SourceColumns.GetValueOrDefault(field) ?? fields.First(f => f.Equals(field, StringComparison.OrdinalIgnoreCase));
            used.Add(source);
            mapping.Add(new Column(source, field, _rules[field].Label, _rules[field].LabelEn));
        }
        var fileColumns = profiled?.FileColumns ?? fields.Where(f => f.Length > 0).ToList();
        var unmapped = fileColumns.Where(c => profiled is null ? !used.Contains(c) : !profiled.Reads(c))
            .Where(c => !unknown.Contains(c, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var rows = new List<Row>();
        var village = fields.FindIndex(f => f.Equals("KODE_DESA", StringComparison.OrdinalIgnoreCase));
        // A village's file: its NIKs are counted as the import counts them (up to MaxRowsCounted rows), so that the preview
        // can say that the file looks like another kecamatan's village before anything is queued.
        var nikKecamatan = opened.Profile is ImportProfiles.OpenSidPenduduk or ImportProfiles.OpenSidDtks && context.Village is { } fileVillage && problems.Count == 0
            ? new NikKecamatanCheck(fileVillage, context.VillageFromFileName, input.SourceName ?? input.FilePath)
            : null;
        var (nik, noKk) = (fields.FindIndex(f => f.Equals("NIK", StringComparison.OrdinalIgnoreCase)), fields.FindIndex(f => f.Equals("NO_KK", StringComparison.OrdinalIgnoreCase)));
        var noKks = new HashSet<string>(StringComparer.Ordinal);
        // A file refused at its header (no village, a village outside the area) is not read further by the import: its
        // cells are not checked here either (an empty village would be "required" on every row).
        var headerRefused = problems.Count > 0;
        var rowsInError = false;
        try
        {
            var counting = nikKecamatan is not null;
            while ((rows.Count < input.Rows || counting) && reader.Read())
            {
                // The largest villages hold a few tens of thousands: a regency's file under one village's name is judged on
                // its first rows, not read to the end of 200 MB while the uploader waits.
                if (counting && reader.RowNumber > MaxRowsCounted)
                {
                    counting = false;
                    if (rows.Count >= input.Rows)
                    {
                        break;
                    }
                }
                if (counting)
                {
                    nikKecamatan!.Count(nik >= 0 && nik < reader.FieldCount ? reader[nik] : null);
                    if (noKk >= 0 && noKk < reader.FieldCount && reader[noKk].Trim() is { Length: 16 } number)
                    {
                        noKks.Add(number);
                    }
                    if (rows.Count >= input.Rows)
                    {
                        continue;
                    }
                }
                var values = new string[fields.Count];
                for (var i = 0; i < fields.Count; i++)
                {
                    var value = i < reader.FieldCount ? reader[i].Trim() : "";
                    // The preview is shown on screen and may be shared: identifiers masked as everywhere else (UU PDP).
                    values[i] = fields[i].ToUpperInvariant() switch
                    {
                        "NIK" when value.Length == 16 => Nik.Mask(value),
                        "NO_KK" when value.Length == 16 => NoKk.Mask(value),
                        _ => value.Length > 80 ? value[..80] + "…" : value,
                    };
                }
                var issues = reader.RowIssues.ToList();
                if (issues.Count == 0 && opened.Profile != ImportProfiles.Bdt2015 && !headerRefused)
                {
                    // Each cell as the import checks it (a NIK Excel turned into 3,31401E+15, a code out of range): the
                    // preview offered to import a file whose every row the import then refused. Not for BDT 2015, whose
                    // NO_KK and village the import takes from the registry (empty here).
                    var cellErrors = new List<ImportIssue>();
                    parser.Parse(reader, new Family { NoKk = "", KodeDesa = "" }, new Person { Nik = "", Nama = "", NamaKunci = "" }, cellErrors, [],
                        parser.FamilyOnly || reader is ProfileReader { FamilyOnlyRow: true });
                    issues.AddRange(cellErrors.Select(InFileColumn));
                    if (cellErrors.Count > 0 && !rowsInError)
                    {
                        // One such row refuses the whole import: the preview offers none, and says the first row why.
                        rowsInError = true;
                        problems.Add(InFileColumn(cellErrors[0]));
                    }
                }
                // A file whose village is given once (OpenSID's, the DTKS's) was refused at its header already.
                if (input.RegionScope is { Length: > 0 } scope && village >= 0 && !problems.Any(p => p.Code is "KODE_DESA_OUTSIDE_SCOPE" or "KODE_DESA_UNKNOWN") && village < reader.FieldCount
                    && RegionCode.ToDotted(reader[village].Trim()) is { Length: 13 } dotted && !RegionCode.IsWithin(dotted, scope))
                {
                    // Said before the import is queued: the import refuses the row (docs/import-format.md, scope).
                    issues.Add(ImportMessages.Issue(reader.RowNumber, profiled?.SourceColumns.GetValueOrDefault("KODE_DESA") ?? "KODE_DESA", dotted, "KODE_DESA_OUTSIDE_SCOPE", dotted));
                }
                rows.Add(new Row(reader.RowNumber, values, issues));
            }
        }
        catch (TabularFormatException e)
        {
            problems.Add(e.Issue);
        }
        // Rows the profile could not hand on (a BDT NIK in scientific notation) refuse the import: said here, before it
        // is queued, as the import itself would say it.
        if (profiled is { Refusals.Count: > 0 })
        {
            problems.AddRange(profiled.Refusals.Take(20));
        }
        return new Outcome(opened.Profile, opened.Sheet.Length == 0 ? null : opened.Sheet, mapping, unmapped, fields, rows, problems, parser.FamilyOnly,
            [.. unknown.Distinct(StringComparer.OrdinalIgnoreCase)], notes, problems.Count == 0 ? nikKecamatan : null, noKks);
    }
}
