using System.Globalization;
using System.Text;
using Tuntas.Imports.Profiles;

namespace Tuntas.Testing;

/// <summary>
/// Builds OpenSID population files ("format impor penduduk", Impor_model::$daftar_kolom) for tests: the 43 lower-case
/// columns, codes as numbers or labels, the "Data Penduduk" sheet beside an instructions sheet and OpenSID's
/// "Kode Data" sheet, and the <c>###</c> end marker. Names are Javanese; NIKs are composed from birth date and sex.
/// </summary>
public sealed class OpenSidFileBuilder
{
    public List<string> Header { get; set; } = [.. OpenSidPendudukLayout.Columns];
    public List<Dictionary<string, string>> Rows { get; } = [];
    private static int _serial = 4000;

    public static string NoKk(int serial) => ImportFileBuilder.NoKkFor(20_000 + serial);

    /// <summary>Adds a person; <paramref name="nik"/> "0" is OpenSID's "no NIK yet".</summary>
    public Dictionary<string, string> Person(int family, string nama, string sex, DateOnly birth, string kkLevel, string statusKawin,
        string pendidikan, string? nik = null, string statusDasar = "1", string rt = "003", string rw = "001", string dusun = "Krajan")
    {
        var serial = Interlocked.Increment(ref _serial);
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alamat"] = "Jl. Sukowati",
            ["dusun"] = dusun,
            ["rw"] = rw,
            ["rt"] = rt,
            ["nama"] = nama,
            ["no_kk"] = NoKk(family),
            ["nik"] = nik ?? ImportFileBuilder.NikFor(birth, sex is "2" or "P" or "PEREMPUAN" ? 2 : 1, serial),
            ["sex"] = sex,
            ["tempatlahir"] = "Sragen",
            ["tanggallahir"] = birth.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
            ["agama_id"] = "1",
            ["pendidikan_kk_id"] = pendidikan,
            ["pendidikan_sedang_id"] = "18",
            ["pekerjaan_id"] = kkLevel == "1" ? "20" : "1",
            ["status_kawin"] = statusKawin,
            ["kk_level"] = kkLevel,
            ["warganegara_id"] = "1",
            ["nama_ayah"] = "Karto",
            ["nama_ibu"] = "Painem",
            ["golongan_darah_id"] = "13",
            ["cacat_id"] = "7",
            ["ktp_el"] = "2",
            ["status_rekam"] = "4",
            ["status_dasar"] = statusDasar,
            ["suku"] = "Jawa",
        };
        Rows.Add(row);
        return row;
    }

    /// <summary>Three families of Desa Gondang: codes as numbers, as labels, a dead grandmother, a son who moved, a
    /// newborn without a NIK yet (0), unknown RT (-).</summary>
    public static OpenSidFileBuilder Village()
    {
        var file = new OpenSidFileBuilder();
        file.Person(1, "Sukijo Wiryo Sumarto", "1", new DateOnly(1975, 4, 12), "1", "2", "3");
        file.Person(1, "Suminah", "2", new DateOnly(1979, 8, 3), "3", "2", "3");
        file.Person(1, "Bagus Prasetyo", "1", new DateOnly(2005, 1, 20), "4", "1", "5");
        file.Person(1, "Mbah Painem", "2", new DateOnly(1940, 2, 2), "7", "4", "1", statusDasar: "2");
        file.Person(2, "Parjo", "L", new DateOnly(1968, 11, 30), "KEPALA KELUARGA", "KAWIN", "TAMAT SD / SEDERAJAT", rt: "-", rw: "-");
        file.Person(2, "Tukinem", "P", new DateOnly(1970, 5, 5), "ISTRI", "K", "Tidak Tamat SD/Sederajat", rt: "-", rw: "-")["hamil"] = "2";
        file.Person(2, "Joko Susilo", "LAKI-LAKI", new DateOnly(1995, 7, 17), "ANAK", "BELUM KAWIN", "SLTA / SEDERAJAT", statusDasar: "PINDAH", rt: "-", rw: "-");
        file.Person(3, "Ngadiman", "1", new DateOnly(1988, 3, 9), "1", "2", "4");
        file.Person(3, "Sri Wahyuni", "2", new DateOnly(1990, 10, 21), "3", "2", "5")["hamil"] = "1";
        file.Person(3, "Dimas Adi Nugroho", "1", new DateOnly(2026, 9, 1), "4", "1", "1", nik: "0");
        return file;
    }

    public string ToCsv(char delimiter = ',', bool endMarker = true)
    {
        var text = new StringBuilder();
        text.AppendJoin(delimiter, Header).Append('\n');
        foreach (var row in Rows)
        {
            text.AppendJoin(delimiter, Header.Select(h => row.GetValueOrDefault(h, ""))).Append('\n');
        }
        if (endMarker)
        {
            text.Append("###").Append('\n');
        }
        return text.ToString();
    }

    public string WriteCsv(bool endMarker = true)
    {
        var path = Path.Combine(Path.GetTempPath(), "opensid-penduduk-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, ToCsv(endMarker: endMarker), new UTF8Encoding(false));
        return path;
    }

    /// <summary>An .xlsx (or .xlsm: same package) with an instructions sheet, "Data Penduduk" and "Kode Data"; codes
    /// that look like numbers are numeric cells, as Excel stores them; NIK and NO_KK are text, as OpenSID's template formats them.</summary>
    public string WriteXlsx(string dataSheet = OpenSidPendudukLayout.SheetName, IReadOnlyList<string[]>? extraRows = null, string extension = ".xlsx")
    {
        var path = Path.Combine(Path.GetTempPath(), "opensid-penduduk-" + Guid.NewGuid().ToString("N") + extension);
        var data = new List<string[]> { Header.ToArray() };
        data.AddRange(Rows.Select(r => Header.Select(h => r.GetValueOrDefault(h, "")).ToArray()));
        data.AddRange(extraRows ?? [["", "###"]]);
        return Workbooks.Write(path,
            ("Petunjuk", [["Isi data penduduk di lembar Data Penduduk."]]),
            (dataSheet, data),
            ("Kode Data", [["kode", "sex"], ["1", "LAKI-LAKI"], ["2", "PEREMPUAN"]]));
    }
}
