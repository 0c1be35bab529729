using Tuntas.Imports.Profiles;
using Tuntas.Regions;

namespace Tuntas.Registry.Exports;

/// <summary>
/// The registry in the column layout of OpenSID's REGSOSEK2022.K (DTKS) export (DTKSRegsosEk2022k::ekspor, v2410, with
/// the code lists of Regsosek2022kEnum): sheet "Keluarga" (two header rows: section titles, then question codes
/// 101…506) with one row per family, and sheet "Anggota Keluarga" (three header rows: section, block, question code)
/// with one row per member. What Tuntas holds is mapped onto the questionnaire's codes; what it does not hold (BPS
/// enumeration codes below the regency, enumerator, certificates, the ten functional-difficulty items…) is left empty,
/// never guessed. Every column and code is in docs/import-profiles.md, "The registry in the DTKS layout".
/// </summary>
public sealed class ExportDtks(TuntasDb db, TimeProvider clock, RegencyOptions? regency = null)
{
    public const string FamilySheet = "Keluarga";
    public const string MemberSheet = "Anggota Keluarga";

    /// <summary>The family sheet's columns: (section title, question code), as OpenSID writes them.</summary>
    public static IReadOnlyList<(string Section, string Code)> FamilyColumns { get; } = BuildFamilyColumns();

    /// <summary>The member sheet's columns: (section, block, question code).</summary>
    public static IReadOnlyList<(string Section, string Block, string Code)> MemberColumns { get; } = BuildMemberColumns();

    private sealed record FamilyRow(
        long Id, string KodeDesa, string NoKk, string? Alamat, string? Rt, string? Rw, DateTime UpdatedAt, string? Head, int Living,
        int? StatusBangunan, double? LuasLantai, int? JenisLantai, int? JenisDinding, int? JenisAtap, int? SumberAirMinum, int? SumberPenerangan,
        int? DayaListrik, int? BahanBakarMasak, int? FasilitasBab, bool? AsetKulkas, bool? AsetAc, bool? AsetTv, bool? AsetEmas10g,
        bool? AsetKomputer, bool? AsetSepedaMotor, bool? AsetMobil, bool? AsetPerahuMotor, bool? AsetSmartphone, bool? AsetRekening,
        double? LuasLahan, int? TernakSapi, int? TernakKambing);

    private sealed record MemberRow(
        string KodeDesa, long FamilyId, string NoKk, string Nik, string Nama, int JenisKelamin, DateOnly TanggalLahir, int HubunganKk,
        int StatusKawin, int Pendidikan, int? StatusSekolah, bool? Bekerja, bool? Hamil, int StatusHidup);

    public async Task<RegistryExport.Outcome> RunAsync(RegistryExport.Request request, Stream output, CancellationToken cancellationToken)
    {
        var families = Families(request);
        // Ages and "Terakhir diubah" in the regency's own time (WIB, WITA or WIT), as OpenSID writes them and every page shows.
        var local = regency ?? RegencyOptions.Default;
        var today = local.Today(clock);
        int familyCount = 0, personCount = 0;
        var villages = new HashSet<string>(StringComparer.Ordinal);
        using var sheet = ExportSheet.Open(output, csv: false, FamilySheet);
        sheet.Row([.. FamilyColumns.Select(c => c.Section)]);
        sheet.Row([.. FamilyColumns.Select(c => c.Code)]);
        var query = families.OrderBy(f => f.KodeDesa).ThenBy(f => f.NoKk).Select(f => new FamilyRow(
            f.Id, f.KodeDesa, f.NoKk, f.Alamat, f.Rt, f.Rw, f.UpdatedAt,
            db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1).OrderBy(p => p.StatusHidup).Select(p => p.Nama).FirstOrDefault(),
            db.Persons.Count(p => p.FamilyId == f.Id && p.StatusHidup == LifeStatus.Hidup),
            f.StatusBangunan, f.LuasLantai, f.JenisLantai, f.JenisDinding, f.JenisAtap, f.SumberAirMinum, f.SumberPenerangan, f.DayaListrik,
            f.BahanBakarMasak, f.FasilitasBab, f.AsetKulkas, f.AsetAc, f.AsetTv, f.AsetEmas10g, f.AsetKomputer, f.AsetSepedaMotor, f.AsetMobil,
            f.AsetPerahuMotor, f.AsetSmartphone, f.AsetRekening, f.LuasLahan, f.TernakSapi, f.TernakKambing));
        await foreach (var f in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            familyCount++;
            villages.Add(f.KodeDesa);
            sheet.Row(FamilyCells(f, local));
        }

        sheet.NextSheet(MemberSheet);
        sheet.Row([.. MemberColumns.Select(c => c.Section)]);
        sheet.Row([.. MemberColumns.Select(c => c.Block)]);
        sheet.Row([.. MemberColumns.Select(c => c.Code)]);
        var members = from f in families
                      join p in db.Persons.AsNoTracking() on f.Id equals p.FamilyId
                      orderby f.KodeDesa, f.NoKk, p.HubunganKk, p.TanggalLahir, p.Id
                      select new MemberRow(f.KodeDesa, f.Id, f.NoKk, p.Nik, p.Nama, p.JenisKelamin, p.TanggalLahir, p.HubunganKk, p.StatusKawin,
                          p.Pendidikan, p.StatusSekolah, p.Bekerja, p.Hamil, p.StatusHidup);
        long lastFamily = -1;
        var serial = 0;
        await foreach (var p in members.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            personCount++;
            serial = p.FamilyId == lastFamily ? serial + 1 : 1;
            lastFamily = p.FamilyId;
            sheet.Row(MemberCells(p, serial, today, request.Sensitive));
        }
        return new RegistryExport.Outcome(villages.Count, familyCount, personCount, 0);
    }

    private IQueryable<Family> Families(RegistryExport.Request request)
    {
        var families = request.Scope.Apply(db.Families.AsNoTracking());
        return request.Village is { } village ? families.Where(f => f.KodeDesa == village) : families;
    }

    private static object?[] FamilyCells(FamilyRow f, RegencyOptions local)
    {
        var sls = string.Join(" ", new[] { f.Rt is { Length: > 0 } ? "RT " + f.Rt : null, f.Rw is { Length: > 0 } ? "RW " + f.Rw : null }.OfType<string>());
        return
        [
            local.ToRegency(f.UpdatedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            // 101–102: province and regency are numbered alike by BPS and Kemendagri; 103–104 are not (BPS numbers
            // kecamatan and desa in 3 digits of its own, DOMAIN §4.3), and Tuntas holds only Kemendagri codes: empty.
            RegionCode.ProvinceOf(f.KodeDesa), f.KodeDesa[3..5], null, null,
            null, null, sls, f.Alamat, f.Head, null, null, null, f.Living, null, f.NoKk, null,
            null, null, null, null, null, null, null, null, null,
            f.StatusBangunan, null, f.LuasLantai, f.JenisLantai, f.JenisDinding, f.JenisAtap, f.SumberAirMinum, null,
            f.SumberPenerangan, Daya(f.DayaListrik), null, null, f.BahanBakarMasak, f.FasilitasBab, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, YaTidak(f.AsetKulkas), YaTidak(f.AsetAc), null, null, YaTidak(f.AsetTv), YaTidak(f.AsetEmas10g), YaTidak(f.AsetKomputer),
            YaTidak(f.AsetSepedaMotor), null, YaTidak(f.AsetMobil), null, YaTidak(f.AsetPerahuMotor), YaTidak(f.AsetSmartphone),
            f.LuasLahan is { } lahan ? (lahan > 0 ? 1 : 2) : null, null,
            f.TernakSapi, null, null, null, f.TernakKambing,
            null, YaTidak(f.AsetRekening),
            null,
        ];
    }

    private static object?[] MemberCells(MemberRow p, int serial, DateOnly today, bool sensitive) =>
    [
        RegionCode.ProvinceOf(p.KodeDesa), p.KodeDesa[3..5], null, null, null, null, null, null,
        p.NoKk, serial, p.Nama, p.Nik, Keberadaan(p.StatusHidup), p.JenisKelamin, p.TanggalLahir.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Age(p.TanggalLahir, today), p.StatusKawin, Hubungan(p.HubunganKk),
        // 410 (pregnancy) is health data (UU PDP 27/2022 Pasal 4(2)): only for readers who may see sensitive fields.
        sensitive && p.JenisKelamin == 2 ? YaTidak(p.Hamil) : null, null,
        p.StatusSekolah is { } sekolah ? OpenSidDtksLayout.Sekolah.CodeOf(sekolah) : null, null, null, Ijazah(p.Pendidikan),
        YaTidak(p.Bekerja), null, null, null, null, null,
        null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null,
    ];

    /// <summary>Regsosek2022kEnum::YA_TIDAK (1 ya, 2 tidak): the import's list read backwards.</summary>
    private static int? YaTidak(bool? value) => OpenSidDtksLayout.YaTidak.CodeOf(value);

    /// <summary>307b1: 1 450 W, 2 900 W, 3 1.300 W, 4 2.200 W, 5 &gt; 2.200 W; 0 W (no PLN connection) has no answer.</summary>
    private static int? Daya(int? watts) => watts switch
    {
        null or 0 => null,
        <= 450 => 1,
        <= 900 => 2,
        <= 1300 => 3,
        <= 2200 => 4,
        _ => 5,
    };

    /// <summary>404 keberadaan (1 tinggal bersama keluarga, 2 meninggal, 3 pindah dalam negeri, 6 tidak ditemukan): the
    /// import's list, which reads it into OpenSID's STATUS_DASAR, read backwards.</summary>
    private static int? Keberadaan(int lifeStatus) => OpenSidDtksLayout.Keberadaan.CodeOf(LifeStatus.ToStatusDasar(lifeStatus));

    /// <summary>409: SHDK 1–11 onto the questionnaire's 8 (1 kepala, 2 istri/suami, 3 anak, 4 menantu, 5 cucu,
    /// 6 orang tua/mertua, 7 pembantu/sopir, 8 lainnya).</summary>
    public static int Hubungan(int shdk) => shdk switch
    {
        1 => 1,
        2 or 3 => 2,
        4 => 3,
        5 => 4,
        6 => 5,
        7 or 8 => 6,
        10 => 7,
        _ => 8,
    };

    /// <summary>415 ijazah tertinggi from the KK's education (pendidikan terakhir, Dukcapil 1–10): 1–2 have no SD
    /// certificate (23), 3 SD, 4 SMP, 5 SMA, 6–7 D1/D2/D3, 8 D4/S1, 9 S2, 10 S3.</summary>
    public static int? Ijazah(int pendidikan) => pendidikan switch
    {
        1 or 2 => 23,
        3 => 3,
        4 => 8,
        5 => 13,
        6 or 7 => 18,
        8 => 19,
        9 => 21,
        10 => 22,
        _ => null,
    };

    private static int Age(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return birth.AddYears(age) > today ? age - 1 : age;
    }

    private static List<(string, string)> BuildFamilyColumns()
    {
        var columns = new List<(string, string)> { ("Terakhir diubah", "") };
        void Section(string title, params string[] codes)
        {
            for (var i = 0; i < codes.Length; i++)
            {
                columns.Add((i == 0 ? title : "", codes[i]));
            }
        }
        Section("I. KETERANGAN TEMPAT", "101", "102", "103", "104", "105", "105a Kode Sub SLS", "106", "107", "108", "109",
            "110 No Urut Keluarga", "111", "112", "113", "114", "115");
        Section("II. KETERANGAN PETUGAS", "201", "202", "202a Kode PPL", "203", "204", "204a Kode Pemeriksa", "Responden", "No Hp responden", "205");
        Section("III. KETERANGAN PERUMAHAN", "301a", "301b", "302", "303", "304", "305", "306a", "306b", "307a", "307b1", "307b2", "307b3",
            "308", "309a", "309b", "310");
        Section("V. KEIKUTSERTAAN PROGRAM, KEPEMILIKAN ASET, DAN LAYANAN",
            [.. "abcdefg".SelectMany(c => new[] { $"501{c}", $"501{c} Bulan", $"501{c} Tahun" }), .. "abcdefghijklmn".Select(c => $"502{c}"),
             "503a", "503b", .. "abcde".Select(c => $"504{c}"), "505", "506"]);
        Section("VI. CATATAN", "Catatan");
        return columns;
    }

    private static List<(string, string, string)> BuildMemberColumns()
    {
        var columns = new List<(string, string, string)>();
        void Block(string section, string block, params string[] codes)
        {
            for (var i = 0; i < codes.Length; i++)
            {
                columns.Add((i == 0 ? section : "", i == 0 ? block : "", codes[i]));
            }
        }
        Block("I. KETERANGAN TEMPAT", "", "101", "102", "103", "104", "105", "105a Kode Sub SLS", "109", "110 No Urut Keluarga");
        Block("IV. KETERANGAN SOSIAL EKONOMI ANGGOTA KELUARGA", "A. KETERANGAN DEMOGRAFI", "No KK", "401", "402 Nama", "403 NIK", "404", "405",
            "406", "407", "408", "409", "410", "411");
        Block("", "B. Pendidikan", "412", "413", "414", "415");
        Block("", "C. Ketenagakerjaan", "416a", "416b", "417", "417 Tulis", "418", "419");
        Block("", "D. Kepemilikan Usaha", "420a", "420b", "421", "421 Tulis", "422", "423", "424", "425", "426");
        Block("", "E. Kesehatan", ["427", .. "abcdefghij".Select(c => $"428{c}"), "429", "430"]);
        Block("", "F. Program Perlindungan Sosial", [.. "abcdef".Select(c => $"431{c}")]);
        return columns;
    }
}
