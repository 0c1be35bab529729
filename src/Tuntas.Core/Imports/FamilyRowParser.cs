using System.Globalization;
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
    private static readonly RegistryColumn<Family>[] _familyColumns =
        [.. FamilyFileLayout.FamilyRules.Select(r => FamilyFileLayout.FamilyColumn(r.Column))];
    private static readonly RegistryColumn<Person>?[] _personColumns =
        [.. FamilyFileLayout.PersonRules.Select(r => FamilyFileLayout.PersonColumn(r.Column))];
    public int HeaderCount { get; }

    /// <summary>The villages the importing user may write (issue #5 §2: a village operator's village); null = every village.</summary>
    public Func<string, bool>? VillageAllowed { get; init; }
    public bool HasFatalHeaderError { get; private set; }

    /// <summary>Per-column hashes of the family fields of the last parsed row, to find which column conflicts.</summary>
    public int[] FamilyColumnHashes { get; }
    public bool Pindah { get; private set; }
    /// <summary>Validation does not need the search key; only the writing pass computes it.</summary>
    public bool ComputeNameKeys { get; init; } = true;
    public Nik.Parsed NikInfo { get; private set; }

    public FamilyRowParser(IReadOnlyList<string> header, bool decimalComma, DateOnly today, Func<string, bool> villageExists, List<ImportIssue> headerIssues)
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
        _familyIndex = Indexes(FamilyFileLayout.FamilyRules, positions, headerIssues);
        _personIndex = Indexes(FamilyFileLayout.PersonRules, positions, headerIssues);
        FamilyColumnHashes = new int[FamilyFileLayout.FamilyRules.Count];
        return;

        int[] Indexes(IReadOnlyList<FamilyFileLayout.Rule> rules, Dictionary<string, int> found, List<ImportIssue> issues)
        {
            var result = new int[rules.Count];
            for (var i = 0; i < rules.Count; i++)
            {
                result[i] = found.TryGetValue(rules[i].Column, out var p) ? p : -1;
                if (result[i] < 0 && rules[i].Required)
                {
                    issues.Add(ImportMessages.Issue(1, rules[i].Column, null, "COLUMN_MISSING", rules[i].Column));
                    HasFatalHeaderError = true;
                }
            }
            return result;
        }
    }

    /// <summary>Parses the current row; returns false when any cell is in error (the issues say which).</summary>
    public bool Parse(TabularReader row, Family family, Person person, List<ImportIssue> errors, List<ImportIssue> warnings)
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

        var familyRules = FamilyFileLayout.FamilyRules;
        for (var i = 0; i < familyRules.Count; i++)
        {
            var rule = familyRules[i];
            var cell = _familyIndex[i] < 0 ? "" : row[_familyIndex[i]];
            var value = ParseCell(rule, cell, rowNumber, errors, warnings);
            FamilyColumnHashes[i] = RegistryColumns.ValueHash(value);
            if (errors.Count == before)
            {
                _familyColumns[i].Set(family, value);
            }
        }
        family.NoKkSementara = family.NoKk is { Length: 16 } && family.NoKk[0] == '0';

        Pindah = false;
        var personRules = FamilyFileLayout.PersonRules;
        for (var i = 0; i < personRules.Count; i++)
        {
            var rule = personRules[i];
            var cell = _personIndex[i] < 0 ? "" : row[_personIndex[i]];
            var value = ParseCell(rule, cell, rowNumber, errors, warnings);
            if (errors.Count != before)
            {
                continue;
            }
            if (_personColumns[i] is { } column)
            {
                column.Set(person, value);
            }
            else
            {
                Pindah = value is true;
            }
        }
        if (errors.Count != before)
        {
            return false;
        }
        person.NikSementara = NikInfo.Temporary;
        person.NamaKunci = ComputeNameKeys ? NameKey.For(person.Nama) : "";
        if (person.Hamil == true && person.JenisKelamin != 2)
        {
            errors.Add(ImportMessages.Issue(rowNumber, "HAMIL", "1", "HAMIL_MALE"));
        }
        if (!NikInfo.Temporary)
        {
            if (NikInfo.BirthDate is { } encoded && encoded != person.TanggalLahir)
            {
                warnings.Add(ImportMessages.Issue(rowNumber, "TANGGAL_LAHIR", person.TanggalLahir.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "NIK_BIRTHDATE_MISMATCH", encoded.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)));
            }
            if (NikInfo.Sex is { } sex && sex != person.JenisKelamin)
            {
                warnings.Add(ImportMessages.Issue(rowNumber, "JENIS_KELAMIN", person.JenisKelamin.ToString(CultureInfo.InvariantCulture), "NIK_SEX_MISMATCH"));
            }
        }
        return errors.Count == before;
    }

    /// <summary>The NO_KK cell of the current row as typed (trimmed, apostrophe removed), whatever else is wrong.</summary>
    public string? RawNoKk(TabularReader row)
    {
        var index = _familyIndex[1];
        return index >= 0 && index < row.FieldCount ? row[index].Trim().TrimStart('\'') : null;
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

    private object? ParseCell(FamilyFileLayout.Rule rule, string raw, long row, List<ImportIssue> errors, List<ImportIssue> warnings)
    {
        var cell = raw.Trim();
        if (cell.Length == 0 && rule.Kind is not (FamilyFileLayout.Kind.Nik or FamilyFileLayout.Kind.NoKk))
        {
            if (rule.Required)
            {
                errors.Add(ImportMessages.Issue(row, rule.Column, null, "REQUIRED"));
            }
            return null;
        }
        string? error = null;
        object? value = null;
        object? arg = null;
        switch (rule.Kind)
        {
            case FamilyFileLayout.Kind.Int:
            case FamilyFileLayout.Kind.Power:
                if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    error = "NOT_INTEGER";
                }
                else if (i < rule.Min || i > rule.Max || (rule.Kind == FamilyFileLayout.Kind.Power && i is > 0 and < 2200 && i is not (450 or 900 or 1300)))
                {
                    error = "OUT_OF_RANGE";
                    arg = rule.Kind == FamilyFileLayout.Kind.Power ? "0, 450, 900, 1300, ≥ 2200" : rule.Range;
                }
                else
                {
                    value = (int)i;
                }
                break;
            case FamilyFileLayout.Kind.Long:
                if (!long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    error = "NOT_INTEGER";
                }
                else if (l < rule.Min || l > rule.Max)
                {
                    error = "OUT_OF_RANGE";
                    arg = rule.Range;
                }
                else
                {
                    value = l;
                }
                break;
            case FamilyFileLayout.Kind.Decimal:
                if (!TryParseDecimal(cell, out var d))
                {
                    error = "NOT_NUMBER";
                }
                else if (d < rule.Min || d > rule.Max)
                {
                    error = rule.Column is "LINTANG" or "BUJUR" ? "COORDINATE" : "OUT_OF_RANGE";
                    arg = rule.Min.ToString(CultureInfo.InvariantCulture) + "–" + rule.Max.ToString(CultureInfo.InvariantCulture);
                }
                else
                {
                    value = d;
                }
                break;
            case FamilyFileLayout.Kind.Bool01:
                if (cell == "0")
                {
                    value = false;
                }
                else if (cell == "1")
                {
                    value = true;
                }
                else
                {
                    error = "NOT_01";
                }
                break;
            case FamilyFileLayout.Kind.Text:
                if (cell.Length > rule.MaxLength)
                {
                    error = "TEXT_TOO_LONG";
                    arg = rule.MaxLength;
                }
                else
                {
                    value = cell;
                }
                break;
            case FamilyFileLayout.Kind.Date:
                if (!TryParseDate(cell, out var date))
                {
                    error = "DATE_FORMAT";
                }
                else if (date > _today)
                {
                    error = "DATE_FUTURE";
                }
                else if (date.Year < 1900)
                {
                    error = "DATE_TOO_OLD";
                }
                else
                {
                    value = date;
                }
                break;
            case FamilyFileLayout.Kind.Sex:
                value = cell switch
                {
                    "1" or "L" or "l" => 1,
                    "2" or "P" or "p" => 2,
                    _ => null,
                };
                if (value is null)
                {
                    error = "SEX";
                }
                break;
            case FamilyFileLayout.Kind.Neighbourhood:
                if (cell.Length > 3 || !cell.All(char.IsAsciiDigit))
                {
                    error = "OUT_OF_RANGE";
                    arg = "1–3 angka/digits";
                }
                else
                {
                    value = int.Parse(cell, CultureInfo.InvariantCulture).ToString("000", CultureInfo.InvariantCulture);
                }
                break;
            case FamilyFileLayout.Kind.KodeDesa:
                var dotted = RegionCode.ToDotted(cell);
                if (dotted is null || dotted.Length != 13)
                {
                    error = "KODE_DESA_FORMAT";
                }
                else if (!_villageExists(dotted))
                {
                    error = "KODE_DESA_UNKNOWN";
                    arg = dotted;
                }
                else if (VillageAllowed is { } allowed && !allowed(dotted))
                {
                    error = "KODE_DESA_OUTSIDE_SCOPE";
                    arg = dotted;
                }
                else
                {
                    value = dotted;
                }
                break;
            case FamilyFileLayout.Kind.NoKk:
                error = NoKk.TryParse(cell, out var noKk, out var temporary);
                if (error is null)
                {
                    value = noKk;
                    if (temporary)
                    {
                        warnings.Add(ImportMessages.Issue(row, rule.Column, noKk, "NO_KK_SEMENTARA"));
                    }
                }
                break;
            case FamilyFileLayout.Kind.Nik:
                error = Nik.TryParse(cell, _today, out var nik);
                if (error is null)
                {
                    NikInfo = nik;
                    value = nik.Value;
                    if (nik.Temporary)
                    {
                        warnings.Add(ImportMessages.Issue(row, rule.Column, null, "NIK_SEMENTARA"));
                    }
                }
                break;
        }
        if (error is not null)
        {
            // NIK values are never echoed in full in a report: the report may be downloaded and shared (UU PDP).
            var shown = rule.Kind == FamilyFileLayout.Kind.Nik && cell.Length == 16 ? Nik.Mask(cell) : Truncate(raw);
            errors.Add(ImportMessages.Issue(row, rule.Column, shown, error, arg));
        }
        return value;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private bool TryParseDecimal(string cell, out double value)
    {
        value = 0;
        var separators = 0;
        for (var i = 0; i < cell.Length; i++)
        {
            var c = cell[i];
            if (c is '.' || (c is ',' && _decimalComma))
            {
                separators++;
            }
            else if (!(char.IsAsciiDigit(c) || (c == '-' && i == 0)))
            {
                return false;
            }
        }
        if (separators > 1)
        {
            return false;
        }
        return double.TryParse(cell.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY (the spec); anything else is an error, never guessed.</summary>
    internal static bool TryParseDate(string cell, out DateOnly date)
    {
        date = default;
        if (cell.Length != 10)
        {
            return false;
        }
        int year, month, day;
        if (cell[4] == '-' && cell[7] == '-')
        {
            if (!Digits(cell, 0, 4, out year) || !Digits(cell, 5, 2, out month) || !Digits(cell, 8, 2, out day))
            {
                return false;
            }
        }
        else if ((cell[2] == '-' && cell[5] == '-') || (cell[2] == '/' && cell[5] == '/'))
        {
            if (!Digits(cell, 0, 2, out day) || !Digits(cell, 3, 2, out month) || !Digits(cell, 6, 4, out year))
            {
                return false;
            }
        }
        else
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;

        static bool Digits(string s, int start, int length, out int number)
        {
            number = 0;
            for (var i = start; i < start + length; i++)
            {
                if (!char.IsAsciiDigit(s[i]))
                {
                    return false;
                }
                number = (number * 10) + (s[i] - '0');
            }
            return true;
        }
    }
}
