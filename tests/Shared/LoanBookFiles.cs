using System.Text;

namespace Tuntas.Testing;

/// <summary>Writes small loan books as CSV folders for the tests: the spec's worked example, then edits per test.</summary>
public sealed class LoanBookFiles
{
    public const string KetuaNik = "3314014501850001";

    public Dictionary<string, List<string>> Sheets { get; } = new(StringComparer.Ordinal)
    {
        ["UPK"] = ["KODE_UPK,NAMA_UPK,KODE_DESA,TANGGAL_BERDIRI", "UPK-3314-01,UPK BKM Sejahtera,33.14.01.2001,2008-05-01"],
        ["KSM"] = ["KODE_KSM,KODE_UPK,NAMA_KSM,KODE_DESA,JENIS,TANGGAL_BENTUK,NIK_KETUA", $"KSM-1,UPK-3314-01,KSM Mawar,3314012001,EKONOMI,2025-11-01,{KetuaNik}"],
        ["ANGGOTA"] =
        [
            "KODE_KSM,NIK,NAMA,PERAN",
            $"KSM-1,{KetuaNik},Siti Rahayu,KETUA",
            "KSM-1,3314014502860002,Sri Lestari,BENDAHARA",
            "KSM-1,3314011503870003,Budi Santoso,ANGGOTA",
            "KSM-1,3314011504880004,Agus Wibowo,ANGGOTA",
            "KSM-1,3314014505890005,Dewi Handayani,SEKRETARIS",
        ],
        // LOAN-BOOK-FORMAT.md §5: FLAT, 1 200 000, 1.5 %, 12 instalments, disbursed 2026-01-15, first due 2026-02-15.
        ["PINJAMAN"] =
        [
            "NO_PINJAMAN,KODE_KSM,TANGGAL_CAIR,POKOK,JASA_PERSEN_BULAN,METODE,JANGKA_BULAN,TANGGAL_ANGSURAN_PERTAMA",
            "P-001,KSM-1,2026-01-15,1200000,1.5,FLAT,12,2026-02-15",
        ],
        ["PEMBAYARAN"] =
        [
            "NO_PINJAMAN,TANGGAL_BAYAR,POKOK,JASA",
            "P-001,2026-02-15,100000,18000",
            "P-001,2026-03-20,100000,18000",
            "P-001,2026-05-02,150000,27000",
            "P-001,2026-06-30,100000,18000",
        ],
        ["OPERASIONAL"] = ["KODE_UPK,BULAN,PENDAPATAN,BIAYA", .. Enumerable.Range(1, 7).Select(m => $"UPK-3314-01,2026-0{m},3000000,2400000")],
        ["MODAL"] = ["KODE_UPK,SUMBER,TANGGAL,JUMLAH", "UPK-3314-01,BLM_APBN,2025-06-01,150000000"],
    };

    public LoanBookFiles Add(string sheet, string line)
    {
        Sheets[sheet].Add(line);
        return this;
    }

    public LoanBookFiles Replace(string sheet, int dataRow, string line)
    {
        Sheets[sheet][dataRow] = line;
        return this;
    }

    public string WriteFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tuntas-upk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var (name, lines) in Sheets)
        {
            File.WriteAllText(Path.Combine(folder, name + ".csv"), string.Join("\n", lines) + "\n", new UTF8Encoding(true));
        }
        return folder;
    }
}
