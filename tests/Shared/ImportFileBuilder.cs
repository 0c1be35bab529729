using System.Globalization;
using System.Text;
using Tuntas.Imports;
using Tuntas.Registry;

namespace Tuntas.Testing;

/// <summary>
/// Builds small family import files for tests: valid defaults for every column, overridable per row. Villages are
/// real Sragen villages (33.14.01.2001 …); NIKs are composed from birth date and sex so they are consistent.
/// </summary>
public sealed class ImportFileBuilder
{
    private readonly List<Dictionary<string, string>> _rows = [];
    // NIK serials are unique across every builder of the test run, so two files never share a NIK by accident.
    private static int _serial;

    public IReadOnlyList<string> Header { get; set; } = FamilyFileLayout.TemplateHeader;

    /// <summary>A NIK for the person born on <paramref name="birth"/> (the serial must stay under 9000).</summary>
    public static string NikFor(DateOnly birth, int sex, int serial, string district = "331401") => Nik.Compose(district, birth, sex, serial);

    /// <summary>The NO_KK of family number <paramref name="serial"/>: the registration date moves on every 9,000 families.</summary>
    public static string NoKkFor(int serial, string district = "331401") =>
        NoKk.Compose(district, new DateOnly(2015, 3, 1).AddDays(serial / 9000), (serial % 9000) + 1);

    /// <summary>Adds a family: a head (male, 1980) and <paramref name="children"/> children, optionally a wife.</summary>
    public ImportFileBuilder Family(int familySerial, bool wife = true, int children = 1, string village = "33.14.01.2001",
        Action<Dictionary<string, string>>? familyFields = null)
    {
        var noKk = NoKkFor(familySerial);
        var family = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["KODE_DESA"] = village,
            ["NO_KK"] = noKk,
            ["ALAMAT"] = "Dukuh Krajan",
            ["RT"] = "1",
            ["RW"] = "2",
            ["LINTANG"] = "-7.43",
            ["BUJUR"] = "111.02",
            ["STATUS_BANGUNAN"] = "1",
            ["LUAS_LANTAI"] = "36",
            ["JENIS_LANTAI"] = "8",
            ["JENIS_DINDING"] = "4",
            ["JENIS_ATAP"] = "2",
            ["SUMBER_AIR_MINUM"] = "6",
            ["SUMBER_PENERANGAN"] = "1",
            ["DAYA_LISTRIK"] = "450",
            ["BAHAN_BAKAR_MASAK"] = "10",
            ["FASILITAS_BAB"] = "2",
            ["ASET_KULKAS"] = "0",
            ["ASET_TV"] = "1",
            ["ASET_SEPEDA_MOTOR"] = "1",
            ["LUAS_LAHAN"] = "0",
            ["TERNAK_UNGGAS"] = "5",
            ["DAGING_PER_MINGGU"] = "1",
            ["PAKAIAN_PER_TAHUN"] = "1",
            ["MAKAN_PER_HARI"] = "2",
            ["MAMPU_BEROBAT"] = "0",
            ["TABUNGAN_500RB"] = "0",
            ["DESIL_NASIONAL"] = "2",
            ["PENGELUARAN_PERKAPITA"] = "350000",
        };
        familyFields?.Invoke(family);
        Person(family, "Sukijo", 1, new DateOnly(1980, 1, 1), 1, 2, 3);
        if (wife)
        {
            Person(family, "Siti Nurhaliza", 2, new DateOnly(1985, 2, 5), 3, 2, 3);
        }
        for (var i = 0; i < children; i++)
        {
            Person(family, "Anak " + (i + 1).ToString(CultureInfo.InvariantCulture), 1 + (i % 2), new DateOnly(2010 + i, 6, 1), 4, 1, 4);
        }
        return this;
    }

    public Dictionary<string, string> Person(Dictionary<string, string> family, string name, int sex, DateOnly birth, int relation, int marital, int education)
    {
        var serial = Interlocked.Increment(ref _serial);
        birth = birth.AddDays(serial / 9000);
        var row = new Dictionary<string, string>(family, StringComparer.Ordinal)
        {
            ["NIK"] = NikFor(birth, sex, (serial % 9000) + 1),
            ["NAMA"] = name,
            ["JENIS_KELAMIN"] = sex.ToString(CultureInfo.InvariantCulture),
            ["TEMPAT_LAHIR"] = "Sragen",
            ["TANGGAL_LAHIR"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["HUBUNGAN_KK"] = relation.ToString(CultureInfo.InvariantCulture),
            ["STATUS_KAWIN"] = marital.ToString(CultureInfo.InvariantCulture),
            ["PENDIDIKAN"] = education.ToString(CultureInfo.InvariantCulture),
            ["BEKERJA"] = relation == 1 ? "1" : "0",
            ["PEKERJAAN"] = relation == 1 ? "Buruh Tani" : "",
            ["PENGHASILAN"] = relation == 1 ? "900000" : "",
            ["DISABILITAS"] = "0",
            ["PENYAKIT_KRONIS"] = "0",
            ["HAMIL"] = "0",
        };
        _rows.Add(row);
        return row;
    }

    /// <summary>Data rows in order; row index 0 is file row 2.</summary>
    public List<Dictionary<string, string>> Rows => _rows;

    public string ToCsv(char delimiter = ',')
    {
        var text = new StringBuilder();
        text.AppendJoin(delimiter, Header).Append('\n');
        foreach (var row in _rows)
        {
            text.AppendJoin(delimiter, Header.Select(h => Quote(row.GetValueOrDefault(h, ""), delimiter))).Append('\n');
        }
        return text.ToString();
    }

    private static string Quote(string value, char delimiter) =>
        value.IndexOfAny([delimiter, '"', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public string WriteCsv(string? path = null, char delimiter = ',')
    {
        path ??= Path.Combine(Path.GetTempPath(), "tuntas-import-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, ToCsv(delimiter), new UTF8Encoding(false));
        return path;
    }
}
