using Tuntas.Imports.Tabular;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// Turns one row of a family import file into a <see cref="Family"/> and a <see cref="Person"/>, reporting every
/// malformed cell (row, column, value, code). Pure: no database, so the same parser serves validation and writing.
/// </summary>
public sealed class FamilyRowParser
{
    private readonly int[] _familyIndex;
    private readonly int[] _personIndex;
    private readonly bool _decimalComma;
    private readonly DateOnly _today;
    private readonly Func<string, bool> _villageExists;
    private RegistryFields.Context? _context;
    private readonly bool _carriesSex;
    private readonly bool _carriesBirthDate;
    private static readonly RegistryColumn<Family>[] _familyColumns =
        [.. FamilyFileLayout.FamilyRules.Select(r => FamilyFileLayout.FamilyColumn(r.Column))];
    private static readonly RegistryColumn<Person>?[] _personColumns =
        [.. FamilyFileLayout.PersonRules.Select(r => FamilyFileLayout.PersonColumn(r.Column))];
    public int HeaderCount { get; }

    /// <summary>The villages the importing user may write (a village operator's village); null = every village.</summary>
    public Func<string, bool>? VillageAllowed { get; init; }
    public bool HasFatalHeaderError { get; private set; }

    /// <summary>Per-column hashes of the family fields of the last parsed row, to find which column conflicts.</summary>
    public int[] FamilyColumnHashes { get; }

    /// <summary>The hash of the family fields of the last parsed row (<see cref="RegistryColumns.Combine"/> of <see cref="FamilyColumnHashes"/>).</summary>
    public long FamilyHash { get; private set; }

    /// <summary>The family cells of the last row parsed and their values (<see cref="SameFamilyCells"/>).</summary>
    private readonly string[] _lastFamilyCells = new string[FamilyFileLayout.FamilyRules.Count];
    private readonly object?[] _lastFamilyValues = new object?[FamilyFileLayout.FamilyRules.Count];
    private bool _lastFamilyClean;
    public bool Pindah { get; private set; }

    /// <summary>Family columns (positions in <see cref="FamilyFileLayout.FamilyRules"/>) the file does not carry: a
    /// partial file updates only the columns it carries, so these keep the registry's value (docs/import-profiles.md).</summary>
    public IReadOnlyList<int> AbsentFamilyColumns { get; }

    /// <summary>Person columns (positions among the import columns of <see cref="RegistryColumns.Person"/>) the file
    /// does not carry; they keep the registry's value like <see cref="AbsentFamilyColumns"/>.</summary>
    public IReadOnlyList<int> AbsentPersonColumns { get; }
    /// <summary>The row's life status from STATUS_DASAR (<see cref="LifeStatus"/>), or null when the file does not say.</summary>
    public int? StatusHidup { get; private set; }

    private RegistryFields.Context Context => _context ??= new RegistryFields.Context
    {
        Today = _today,
        DecimalComma = _decimalComma,
        VillageExists = _villageExists,
        VillageAllowed = VillageAllowed,
    };
    /// <summary>Validation does not need the search key; only the writing pass computes it.</summary>
    public bool ComputeNameKeys { get; init; } = true;
    public Nik.Parsed NikInfo { get; private set; }

    /// <summary>The header carries no person column at all: a file of family fields only (docs/import-profiles.md,
    /// "Family-only files"), each row updating an existing family.</summary>
    public bool FamilyOnly { get; }

    /// <summary>
    /// The header carries every column a new person needs: NAMA, JENIS_KELAMIN, TANGGAL_LAHIR and HUBUNGAN_KK. A layout
    /// without them (the BDT 2015 profile, docs/import-profiles.md) only updates registered persons: it cannot register
    /// one, nor judge a family's head, and a check against a column it leaves out would judge a blank value.
    /// </summary>
    public bool CarriesIdentity { get; }

    /// <summary>The header carries HUBUNGAN_KK: only then are a family's heads counted.</summary>
    public bool CarriesRelationship { get; }

    /// <summary>The header carries STATUS_DASAR (OpenSID's life status).</summary>
    public bool CarriesLifeStatus { get; }

    /// <param name="defaulted">Required person columns the file's layout does not carry (<see cref="Profiles.ProfileReader.DefaultedColumns"/>).</param>
    public FamilyRowParser(IReadOnlyList<string> header, bool decimalComma, DateOnly today, Func<string, bool> villageExists, List<ImportIssue> headerIssues,
        IReadOnlySet<string>? defaulted = null)
    {
        _decimalComma = decimalComma;
        _today = today;
        _villageExists = villageExists;
        HeaderCount = header.Count;
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF').ToUpperInvariant();
            if (name.Length == 0)
            {
                continue;
            }
            if (!positions.TryAdd(name, i))
            {
                headerIssues.Add(ImportMessages.Issue(1, name, null, "COLUMN_DUPLICATE", name));
                HasFatalHeaderError = true;
            }
        }
        var known = FamilyFileLayout.AllRules.Select(r => r.Column).ToHashSet(StringComparer.Ordinal);
        foreach (var name in positions.Keys.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
        {
            headerIssues.Add(ImportMessages.Issue(1, name, null, "COLUMN_UNKNOWN", name));
        }
        FamilyOnly = !FamilyFileLayout.PersonRules.Any(r => positions.ContainsKey(r.Column));
        _familyIndex = Indexes(FamilyFileLayout.FamilyRules, positions, headerIssues);
        _personIndex = Indexes(FamilyFileLayout.PersonRules, positions, headerIssues);
        FamilyColumnHashes = new int[FamilyFileLayout.FamilyRules.Count];
        AbsentFamilyColumns = [.. Enumerable.Range(0, _familyIndex.Length).Where(i => _familyIndex[i] < 0)];
        var personImportColumns = RegistryColumns.Person.Where(c => c.Import is not null).ToList();
        AbsentPersonColumns = [.. Enumerable.Range(0, personImportColumns.Count)
            .Where(i => !positions.ContainsKey(personImportColumns[i].Import!))];
        CarriesIdentity = FamilyOnly || new[] { "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUBUNGAN_KK" }.All(positions.ContainsKey);
        CarriesRelationship = positions.ContainsKey("HUBUNGAN_KK");
        CarriesLifeStatus = positions.ContainsKey("STATUS_DASAR");
        _carriesSex = positions.ContainsKey("JENIS_KELAMIN");
        _carriesBirthDate = positions.ContainsKey("TANGGAL_LAHIR");
        return;

        int[] Indexes(IReadOnlyList<RegistryFields.Rule> rules, Dictionary<string, int> found, List<ImportIssue> issues)
        {
            var result = new int[rules.Count];
            for (var i = 0; i < rules.Count; i++)
            {
                result[i] = found.TryGetValue(rules[i].Column, out var p) ? p : -1;
                var personRule = ReferenceEquals(rules, FamilyFileLayout.PersonRules);
                if (result[i] < 0 && rules[i].Required && !(personRule && (FamilyOnly || defaulted?.Contains(rules[i].Column) == true)))
                {
                    issues.Add(ImportMessages.Issue(1, rules[i].Column, null, "COLUMN_MISSING", rules[i].Column));
                    HasFatalHeaderError = true;
                }
            }
            return result;
        }
    }

    /// <summary>Parses the current row; returns false when any cell is in error (the issues say which). A family-only
    /// row (<paramref name="familyOnly"/> or a <see cref="FamilyOnly"/> file) has its family columns parsed only.</summary>
    public bool Parse(TabularReader row, Family family, Person person, List<ImportIssue> errors, List<ImportIssue> warnings, bool familyOnly = false)
    {
        var before = errors.Count;
        var rowNumber = row.RowNumber;
        if (row.FieldCount != HeaderCount)
        {
            errors.Add(ImportMessages.Issue(rowNumber, null, null, "COLUMN_COUNT", row.FieldCount, HeaderCount));
            return false;
        }
        foreach (var invalid in row.InvalidEncodingFields)
        {
            errors.Add(ImportMessages.Issue(rowNumber, invalid < HeaderCount ? ColumnName(invalid) : null, null, "ENCODING"));
        }
        if (errors.Count > before)
        {
            return false;
        }

        if (SameFamilyCells(row))
        {
            for (var i = 0; i < _lastFamilyValues.Length; i++)
            {
                _familyColumns[i].Set(family, _lastFamilyValues[i]);
            }
        }
        else
        {
            ParseFamilyCells(row, family, rowNumber, errors, warnings);
        }
        family.NoKkSementara = family.NoKk is { Length: 16 } && family.NoKk[0] == '0';

        Pindah = false;
        StatusHidup = null;
        if (familyOnly || FamilyOnly)
        {
            return errors.Count == before;
        }
        var personRules = FamilyFileLayout.PersonRules;
        for (var i = 0; i < personRules.Count; i++)
        {
            var rule = personRules[i];
            if (_personIndex[i] < 0 && rule.Required)
            {
                continue; // a defaulted column (the header check refused any other): the field's "none" value stays
            }
            var cell = Cell(row, _personIndex[i]);
            var value = ParseCell(_familyIndex.Length + i, rule, cell, rowNumber, errors, warnings);
            if (errors.Count != before)
            {
                continue;
            }
            if (_personColumns[i] is { } column)
            {
                column.Set(person, value);
            }
            else if (rule.Column == "PINDAH")
            {
                Pindah = value is true;
            }
            else if (value is int statusDasar)
            {
                StatusHidup = LifeStatus.FromStatusDasar(statusDasar);
                if (StatusHidup is null)
                {
                    errors.Add(ImportMessages.Issue(rowNumber, rule.Column, statusDasar.ToString(CultureInfo.InvariantCulture),
                        statusDasar == 9 ? "STATUS_DASAR_TIDAK_VALID" : "OUT_OF_RANGE", "1, 2, 3, 4, 6"));
                }
            }
        }
        if (errors.Count != before)
        {
            return false;
        }
        person.NikSementara = NikInfo.Temporary;
        person.NamaKunci = ComputeNameKeys ? NameKey.For(person.Nama) : "";
        if (person.Hamil == true && _carriesSex && person.JenisKelamin != 2)
        {
            errors.Add(ImportMessages.Issue(rowNumber, "HAMIL", "1", "HAMIL_MALE"));
        }
        if (!NikInfo.Temporary)
        {
            if (_carriesBirthDate && NikInfo.BirthDate is { } encoded && encoded != person.TanggalLahir)
            {
                warnings.Add(ImportMessages.Issue(rowNumber, "TANGGAL_LAHIR", person.TanggalLahir.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "NIK_BIRTHDATE_MISMATCH", encoded.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)));
            }
            if (_carriesSex && NikInfo.Sex is { } sex && sex != person.JenisKelamin)
            {
                warnings.Add(ImportMessages.Issue(rowNumber, "JENIS_KELAMIN", person.JenisKelamin.ToString(CultureInfo.InvariantCulture), "NIK_SEX_MISMATCH"));
            }
        }
        return errors.Count == before;
    }

    /// <summary>
    /// Every member's row repeats the family's cells (docs/import-format.md): when they are the very cells of the last
    /// row parsed without an error or a warning, so are their values and hashes. A million-person file has about
    /// 300,000 families, so seven of every ten rows skip parsing the family columns (docs/benchmarks.md, "PostgreSQL's
    /// first load from the server's side").
    /// </summary>
    private bool SameFamilyCells(TabularReader row)
    {
        if (!_lastFamilyClean)
        {
            return false;
        }
        for (var i = 0; i < _familyIndex.Length; i++)
        {
            // Compared where the reader holds the cell: a member's repeated cells never become strings.
            var index = _familyIndex[i];
            if (index < 0 ? _lastFamilyCells[i].Length != 0 : !row.CellEquals(index, _lastFamilyCells[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The row's cell at a column position, or empty when the file does not carry that column (position -1).</summary>
    private static string Cell(TabularReader row, int index) => index < 0 ? "" : row[index];

    private void ParseFamilyCells(TabularReader row, Family family, long rowNumber, List<ImportIssue> errors, List<ImportIssue> warnings)
    {
        var (errorsBefore, warningsBefore) = (errors.Count, warnings.Count);
        var familyRules = FamilyFileLayout.FamilyRules;
        for (var i = 0; i < familyRules.Count; i++)
        {
            var cell = Cell(row, _familyIndex[i]);
            var value = ParseCell(i, familyRules[i], cell, rowNumber, errors, warnings);
            FamilyColumnHashes[i] = RegistryColumns.ValueHash(value);
            _lastFamilyCells[i] = cell;
            _lastFamilyValues[i] = value;
            if (errors.Count == errorsBefore)
            {
                _familyColumns[i].Set(family, value);
            }
        }
        // A row with a finding is never reused: the next row with the same cells reports it again, on its own row.
        _lastFamilyClean = errors.Count == errorsBefore && warnings.Count == warningsBefore;
        FamilyHash = RegistryColumns.Combine(FamilyColumnHashes);
    }

    /// <summary>The NO_KK cell of the current row as typed (trimmed, apostrophe removed), whatever else is wrong.</summary>
    public string? RawNoKk(TabularReader row)
    {
        var index = _familyIndex[1];
        return index >= 0 && index < row.FieldCount ? row[index].Trim().TrimStart('\'') : null;
    }

    /// <summary>The row's NIK as a number when its cell holds 16 digits, whatever else is wrong with the row.</summary>
    public long? RawNik(TabularReader row)
    {
        var rule = FamilyFileLayout.PersonRules.ToList().FindIndex(r => r.Column == "NIK");
        var index = rule >= 0 ? _personIndex[rule] : -1;
        var cell = index >= 0 && index < row.FieldCount ? row[index].Trim().TrimStart('\'') : "";
        return cell.Length == 16 && long.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var nik) ? nik : null;
    }

    public string ColumnName(int headerIndex)
    {
        for (var i = 0; i < _familyIndex.Length; i++)
        {
            if (_familyIndex[i] == headerIndex)
            {
                return FamilyFileLayout.FamilyRules[i].Column;
            }
        }
        for (var i = 0; i < _personIndex.Length; i++)
        {
            if (_personIndex[i] == headerIndex)
            {
                return FamilyFileLayout.PersonRules[i].Column;
            }
        }
        return "#" + (headerIndex + 1).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Per column (family columns, then person columns), the outcome of each one-character cell already parsed without a
    /// finding. A cell's outcome depends only on its column and its text, the import's date and villages being fixed,
    /// and most cells of a file are one-character codes (sex, relationship, the assets' 0 and 1): a million-person file
    /// parses about sixteen million of them, which a look-up here replaces (docs/benchmarks.md, "The CSV reader a run
    /// at a time").
    /// </summary>
    private readonly RegistryFields.Parsed?[][] _oneCharacterCells =
        new RegistryFields.Parsed?[FamilyFileLayout.FamilyRules.Count + FamilyFileLayout.PersonRules.Count][];

    private object? ParseCell(int column, RegistryFields.Rule rule, string raw, long row, List<ImportIssue> errors, List<ImportIssue> warnings)
    {
        if (raw.Length == 1 && raw[0] < 128)
        {
            var known = _oneCharacterCells[column] ??= new RegistryFields.Parsed?[128];
            if (known[raw[0]] is { } clean)
            {
                return clean.Value;
            }
            var parsed = RegistryFields.Parse(rule, raw, Context);
            if (parsed.Error is null && parsed.Warning is null && rule.Kind != RegistryFields.Kind.Nik)
            {
                known[raw[0]] = parsed;
            }
            return Report(rule, raw, parsed, row, errors, warnings);
        }
        return Report(rule, raw, RegistryFields.Parse(rule, raw, Context), row, errors, warnings);
    }

    /// <summary>The cell's value, its warning and error added to the row's findings.</summary>
    private object? Report(RegistryFields.Rule rule, string raw, RegistryFields.Parsed parsed, long row, List<ImportIssue> errors, List<ImportIssue> warnings)
    {
        if (parsed.Warning is { } warning)
        {
            // A temporary number is shown whole: it is the village code and a serial, no one's birth date, and the operator
            // needs it to find the row in OpenSID (the profile may have given it for a NIK 0).
            warnings.Add(ImportMessages.Issue(row, rule.Column, rule.Kind is RegistryFields.Kind.NoKk or RegistryFields.Kind.Nik ? (string?)parsed.Value : null, warning));
        }
        if (rule.Kind == RegistryFields.Kind.Nik && parsed.Error is null)
        {
            NikInfo = parsed.NikInfo;
        }
        if (parsed.Error is { } error)
        {
            // NIK and NO_KK values are never echoed in full in a report, valid or not (spaces inside a NIK are a common
            // mistake): the report may be downloaded and shared (UU PDP).
            var shown = error == "REQUIRED" ? null
                : rule.Kind is RegistryFields.Kind.Nik or RegistryFields.Kind.NoKk ? Nik.MaskTyped(Truncate(raw.Trim()))
                : Truncate(raw);
            errors.Add(ImportMessages.Issue(row, rule.Column, shown, error, parsed.Arg));
        }
        return parsed.Value;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
