using Tuntas.P2kp.Loans;
using Tuntas.Registry;

namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// Writes a synthetic, valid UPK loan book as a folder of CSV files (LOAN-BOOK-FORMAT.md): UPKs in the given villages,
/// KSM of 5–8 members, loans with mostly punctual groups, some that fall behind and some that stop paying, monthly
/// operations and capital. Deterministic for a seed. Used by the demo data, the tests' independent check and bench/.
/// </summary>
public static class GenerateLoanBook
{
    public sealed record Options(int Upks, int LoansPerUpk, IReadOnlyList<string> Villages, DateOnly AsOf, int Seed = 42, int MinTerm = 6, int MaxTerm = 36);

    public sealed record Counts(int Upks, int Ksm, int Members, int Loans, long Installments, long Payments);

    public static Counts WriteCsvFolder(string folder, Options options)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(options.Seed);
        using var upk = Writer(folder, "UPK", "KODE_UPK,NAMA_UPK,KODE_DESA,TANGGAL_BERDIRI");
        using var ksm = Writer(folder, "KSM", "KODE_KSM,KODE_UPK,NAMA_KSM,KODE_DESA,JENIS,TANGGAL_BENTUK,NIK_KETUA");
        using var anggota = Writer(folder, "ANGGOTA", "KODE_KSM,NIK,NAMA,PERAN");
        using var pinjaman = Writer(folder, "PINJAMAN", "NO_PINJAMAN,KODE_KSM,TANGGAL_CAIR,POKOK,JASA_PERSEN_BULAN,METODE,JANGKA_BULAN,TANGGAL_ANGSURAN_PERTAMA");
        using var pembayaran = Writer(folder, "PEMBAYARAN", "NO_PINJAMAN,TANGGAL_BAYAR,POKOK,JASA");
        using var operasional = Writer(folder, "OPERASIONAL", "KODE_UPK,BULAN,PENDAPATAN,BIAYA");
        using var modal = Writer(folder, "MODAL", "KODE_UPK,SUMBER,TANGGAL,JUMLAH");
        int ksmCount = 0, memberCount = 0, loanCount = 0;
        long installments = 0, payments = 0;
        var serial = 0;
        string[] sources = ["BLM_APBN", "APBD", "SWADAYA", "CSR"];
        for (var u = 1; u <= options.Upks; u++)
        {
            var village = options.Villages[(u - 1) % options.Villages.Count];
            var district = Regions.RegionCode.ToPlain(village)[..6];
            var kodeUpk = Code("UPK", u);
            upk.WriteLine($"{kodeUpk},UPK BKM {u},{village},2008-0{1 + u % 9}-15");
            for (var c = 0; c < 1 + random.Next(3); c++)
            {
                modal.WriteLine(I($"{kodeUpk},{sources[(u + c) % sources.Length]},{options.AsOf.Year - 3 + c}-02-01,{(50 + random.Next(150)) * 1_000_000L}"));
            }
            for (var month = 1; month <= options.AsOf.Month; month++)
            {
                var income = (2_000 + random.Next(2_000)) * 1_000L;
                operasional.WriteLine(I($"{kodeUpk},{options.AsOf.Year:D4}-{month:D2},{income},{income * (60 + random.Next(70)) / 100}"));
            }
            var ksmOfUpk = new List<string>();
            var loansLeft = options.LoansPerUpk;
            while (loansLeft > 0)
            {
                var kodeKsm = I($"{kodeUpk}-K{ksmOfUpk.Count + 1:D4}");
                ksmOfUpk.Add(kodeKsm);
                ksmCount++;
                var size = 5 + random.Next(4);
                string? ketua = null;
                for (var m = 0; m < size; m++)
                {
                    var sex = 1 + random.Next(2);
                    var nik = Nik.Compose(district, new DateOnly(1960 + random.Next(40), 1 + random.Next(12), 1 + random.Next(28)), sex, 1 + serial++ % 9999);
                    ketua ??= nik;
                    anggota.WriteLine($"{kodeKsm},{nik},{IndonesianName(random, sex)},{(m == 0 ? "KETUA" : m == 1 ? "BENDAHARA" : "ANGGOTA")}");
                    memberCount++;
                }
                ksm.WriteLine($"{kodeKsm},{kodeUpk},KSM {ksmOfUpk.Count} {kodeUpk},{village},{(random.Next(10) < 8 ? "EKONOMI" : "LINGKUNGAN")},2015-03-0{1 + random.Next(9)},{ketua}");
                // One to three loans per group over the years.
                for (var l = 0; l < 1 + random.Next(3) && loansLeft > 0; l++, loansLeft--)
                {
                    loanCount++;
                    var nomor = I($"{kodeUpk}-P{loanCount:D6}");
                    var term = options.MinTerm + random.Next(options.MaxTerm - options.MinTerm + 1);
                    var principal = (2 + random.Next(39)) * 250_000L;
                    var rate = 100 + random.Next(11) * 10;
                    var method = random.Next(3) == 0 ? LoanSchedule.Declining : LoanSchedule.Flat;
                    var disbursed = options.AsOf.AddDays(-random.Next(3 * 365));
                    var first = disbursed.AddMonths(1);
                    pinjaman.WriteLine(I($"{nomor},{kodeKsm},{Iso(disbursed)},{principal},{rate / 100m:0.0#},{method},{term},{Iso(first)}"));
                    installments += term;
                    // Behaviour: 75 % pay each instalment on time, 15 % fall behind from some instalment, 10 % stop.
                    var kind = random.Next(100);
                    var stopAt = kind < 75 ? int.MaxValue : 1 + random.Next(term);
                    var schedule = LoanSchedule.Build(principal, rate, method, term, first).ToList();
                    foreach (var i in schedule.Where(i => i.DueOn <= options.AsOf))
                    {
                        if (i.K >= stopAt && (kind >= 90 || i.K % 2 == 0))
                        {
                            continue;
                        }
                        var paidOn = i.DueOn.AddDays(kind < 75 ? -random.Next(3) : random.Next(40));
                        if (paidOn > options.AsOf)
                        {
                            continue;
                        }
                        pembayaran.WriteLine(I($"{nomor},{Iso(paidOn < disbursed ? disbursed : paidOn)},{i.Principal},{i.Service}"));
                        payments++;
                    }
                }
            }
        }
        return new Counts(options.Upks, ksmCount, memberCount, loanCount, installments, payments);
    }

    private static readonly string[] _given = ["Siti", "Sri", "Budi", "Agus", "Wahyu", "Dewi", "Eko", "Slamet", "Tri", "Rina", "Joko", "Nur"];
    private static readonly string[] _family = ["Rahayu", "Susanto", "Wibowo", "Lestari", "Purnomo", "Handayani", "Setiawan", "Wulandari"];

    private static string IndonesianName(Random random, int sex) => $"{_given[random.Next(_given.Length)]} {_family[random.Next(_family.Length)]}";

    private static string Code(string prefix, int n) => I($"{prefix}-{n:D3}");

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static StreamWriter Writer(string folder, string sheet, string header)
    {
        var writer = new StreamWriter(Path.Combine(folder, sheet + ".csv"), false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine(header);
        return writer;
    }
}
