namespace Tuntas.Programs;

/// <summary>
/// Saves the national and regional programs of DOMAIN §5 under their short codes into an empty catalogue, with
/// owners, funding, units and amounts as found; amounts marked [U] there are saved as unverified. The codes match the
/// targeting engine's default eligibility rules, so each program has its rule from the start. Amounts stay editable.
/// </summary>
public sealed class SeedPrograms(TuntasDatabase database, TimeProvider clock)
{
    /// <summary>New entities on each call: one seeded into a database is tracked and given its id there.</summary>
    private static AssistanceProgram[] Defaults() =>
    [
        P("PKH", "Program Keluarga Harapan", "kementerian", "Kementerian Sosial", "APBN", ProgramTerms.Family, "tunai", null, "tahun", false,
            "Per komponen per tahun: ibu hamil/nifas Rp3,0 jt; anak 0–6 Rp3,0 jt; SD Rp900 rb; SMP Rp1,5 jt; SMA Rp2,0 jt; disabilitas berat Rp2,4 jt; lansia 70+ Rp2,4 jt; cair per triwulan; diterima ibu/perempuan dewasa. Nominal belum terverifikasi."),
        P("BPNT", "Bantuan Pangan Non Tunai / Program Sembako", "kementerian", "Kementerian Sosial", "APBN", ProgramTerms.Family, "barang", 200_000, "bulan", false,
            "Rp200 rb/bulan lewat KKS dan e-warong, sering cair Rp600 rb per 3 bulan. Nominal belum terverifikasi."),
        P("PBIJK", "Penerima Bantuan Iuran Jaminan Kesehatan", "kementerian", "Kementerian Sosial / BPJS Kesehatan", "APBN", ProgramTerms.Person, "layanan", 42_000, "bulan", true,
            "Iuran Rp42.000/orang/bulan dibayar pemerintah (Perpres 64/2020; PMK 78/2020)."),
        P("PIP", "Program Indonesia Pintar (KIP)", "kementerian", "Kemendikbudristek / Kemenag", "APBN", ProgramTerms.Person, "tunai", null, "tahun", true,
            "Per tahun: SD Rp450 rb, SMP Rp750 rb, SMA/SMK Rp1,8 jt (kelas baru/akhir separuh), usia 6–21, terdaftar di Dapodik (2024)."),
        P("BSPS", "Bantuan Stimulan Perumahan Swadaya (bedah rumah)", "kementerian", "Kementerian PKP", "APBN", ProgramTerms.Family, "barang", 20_000_000, "sekali", true,
            "Rp20 jt/unit = Rp17,5 jt bahan + Rp2,5 jt upah (Permen PKP 10/2025)."),
        P("BLTDD", "BLT Dana Desa", "desa", "Pemerintah desa (musdes khusus)", "APBDES", ProgramTerms.Family, "tunai", 300_000, "bulan", true,
            "Rp300 rb/bulan (Rp3,6 jt/tahun); prioritas keluarga miskin ekstrem (P3KE)."),
        P("ASPD", "Asistensi Sosial Penyandang Disabilitas", "pemprov", "Dinas Sosial Provinsi", "APBD-PROV", ProgramTerms.Person, "tunai", 300_000, "bulan", true,
            "Rp300 rb/bulan (Rp3,6 jt/tahun dalam 4 tahap Rp900 rb); usulan kabupaten/kota."),
        P("PKHPLUS", "PKH Plus (program provinsi)", "pemprov", "Pemerintah Provinsi", "APBD-PROV", ProgramTerms.Person, "tunai", null, "tahun", false,
            "Contoh program provinsi untuk lansia 70+ desil 1–4, seperti PKH Plus; sesuaikan dengan program provinsi Anda. Nominal belum terverifikasi."),
        P("UEP", "Usaha Ekonomi Produktif / KUBE", "opd", "Dinas Sosial Kabupaten", "APBN", ProgramTerms.Family, "barang", null, "sekali", false,
            "Bantuan modal usaha kelompok (KUBE); nominal belum diketahui, isi sesuai DPA tahun berjalan."),
        P("RTLHKAB", "Rehabilitasi Rumah Tidak Layak Huni (APBD kabupaten)", "opd", "Dinas Perumahan dan Kawasan Permukiman", "APBD-KAB", ProgramTerms.Family, "barang", null, "sekali", false,
            "Program kabupaten; isi nominal sesuai DPA tahun berjalan."),
    ];

    private static AssistanceProgram P(string code, string name, string ownerKind, string ownerName, string funding, string unit, string benefit,
        long? amount, string period, bool verified, string note) => new()
        {
            Code = code,
            Name = name,
            OwnerKind = ownerKind,
            OwnerName = ownerName,
            FundingSource = funding,
            TargetUnit = unit,
            BenefitKind = benefit,
            Amount = amount,
            Period = period,
            AmountVerified = verified,
            SourceNote = note,
        };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        // Only into an empty catalogue: after that the catalogue is the users' (a program is deactivated, never deleted).
        if (await db.Programs.AnyAsync(cancellationToken))
        {
            return 0;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var program in Defaults())
        {
            program.CreatedAt = now;
            program.UpdatedAt = now;
            db.Programs.Add(program);
            added++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }
}
