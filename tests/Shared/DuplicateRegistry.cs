using System.Globalization;

namespace Tuntas.Testing;

/// <summary>
/// A registry file with one household registered twice, for the record-linkage tests (CLI, verivali): forty families of
/// three with varied Javanese names and birth dates, and the wife and the child of family 7 again in a KK of their own
/// in the same desa, each NIK with one digit of the birth year wrong ("Hj." added to her name).
/// </summary>
public static class DuplicateRegistry
{
    private static readonly string[] _first = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Joko", "Rudi", "Slamet", "Yanto"];
    private static readonly string[] _women = ["Ani", "Dewi", "Fitri", "Lestari", "Nur", "Rina", "Sri", "Tuti", "Wati", "Yuni"];
    private static readonly string[] _last = ["Santoso", "Rahayu", "Wibowo", "Utami", "Hidayat", "Purnomo", "Saputra", "Kusuma", "Setiawan", "Handayani", "Susanto", "Nugroho"];

    public static (string File, string NikWife, string NikChild) Write()
    {
        var builder = new ImportFileBuilder();
        var rng = new Random(5);
        Dictionary<string, string>? wife = null, child = null;
        for (var f = 0; f < 40; f++)
        {
            builder.Family(500 + f, village: f % 2 == 0 ? "33.14.01.2001" : "33.14.01.2002");
            var rows = builder.Rows[^3..];
            var head = new DateOnly(1950, 1, 1).AddDays(rng.Next(365 * 40));
            Rename(rows[0], $"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", head);
            Rename(rows[1], $"{_women[rng.Next(_women.Length)]} {_last[rng.Next(_last.Length)]}", head.AddDays(rng.Next(2000)));
            Rename(rows[2], $"{_first[rng.Next(_first.Length)]} {_last[rng.Next(_last.Length)]}", head.AddYears(22 + rng.Next(5)).AddDays(rng.Next(300)));
            if (f == 7)
            {
                (wife, child) = (rows[1], rows[2]);
            }
        }
        builder.Family(600, wife: false, children: 0, village: wife!["KODE_DESA"]);
        var again = builder.Rows[^1];
        Copy(again, wife, "Hj. " + wife["NAMA"]);
        var second = builder.Person(builder.Rows[^1], "x", 1, new DateOnly(2000, 1, 1), 4, 1, 4);
        Copy(second, child!, child!["NAMA"]);
        return (builder.WriteCsv(), again["NIK"], second["NIK"]);

        static void Rename(Dictionary<string, string> row, string name, DateOnly birth)
        {
            row["NAMA"] = name;
            row["TANGGAL_LAHIR"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            row["NIK"] = ImportFileBuilder.NikFor(birth, int.Parse(row["JENIS_KELAMIN"], CultureInfo.InvariantCulture), int.Parse(row["NIK"][12..], CultureInfo.InvariantCulture));
        }

        // The same person under a NIK with the birth year's last digit mistyped (a typo in the date part).
        static void Copy(Dictionary<string, string> to, Dictionary<string, string> from, string name)
        {
            to["NAMA"] = name;
            to["JENIS_KELAMIN"] = from["JENIS_KELAMIN"];
            to["TANGGAL_LAHIR"] = from["TANGGAL_LAHIR"];
            var nik = from["NIK"].ToCharArray();
            nik[11] = (char)('0' + ((nik[11] - '0' + 3) % 10));
            to["NIK"] = new string(nik);
        }
    }
}
