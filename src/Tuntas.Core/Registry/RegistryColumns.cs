namespace Tuntas.Registry;

/// <summary>One registry column: its SQL name, its import-format name (null for bookkeeping columns), and its value.</summary>
public sealed record RegistryColumn<T>(string Sql, string? Import, ColumnKind Kind, Func<T, ColumnValue> Read, Action<T, object?> Set)
    : BulkColumn<T>(Sql, Kind, Read);

/// <summary>
/// The single list of family and person columns, in table order: used by the bulk writers, by the change history
/// (old → new per import column) and by the row hash that recognises an unchanged row on re-import.
/// </summary>
public static class RegistryColumns
{
    private static RegistryColumn<Family> F(string sql, string? import, ColumnKind kind, Func<Family, ColumnValue> get, Action<Family, object?> set) =>
        new(sql, import, kind, get, set);

    private static RegistryColumn<Person> P(string sql, string? import, ColumnKind kind, Func<Person, ColumnValue> get, Action<Person, object?> set) =>
        new(sql, import, kind, get, set);

    public static readonly IReadOnlyList<RegistryColumn<Family>> Family =
    [
        F("id", null, ColumnKind.Long, f => f.Id, (f, v) => f.Id = (long)v!),
        F("no_kk", "NO_KK", ColumnKind.Text, f => f.NoKk, (f, v) => f.NoKk = (string)v!),
        F("no_kk_sementara", null, ColumnKind.Bool, f => f.NoKkSementara, (f, v) => f.NoKkSementara = (bool)v!),
        F("kode_desa", "KODE_DESA", ColumnKind.Text, f => f.KodeDesa, (f, v) => f.KodeDesa = (string)v!),
        F("alamat", "ALAMAT", ColumnKind.Text, f => f.Alamat, (f, v) => f.Alamat = (string?)v),
        F("rt", "RT", ColumnKind.Text, f => f.Rt, (f, v) => f.Rt = (string?)v),
        F("rw", "RW", ColumnKind.Text, f => f.Rw, (f, v) => f.Rw = (string?)v),
        F("lintang", "LINTANG", ColumnKind.Double, f => f.Lintang, (f, v) => f.Lintang = (double?)v),
        F("bujur", "BUJUR", ColumnKind.Double, f => f.Bujur, (f, v) => f.Bujur = (double?)v),
        F("status_bangunan", "STATUS_BANGUNAN", ColumnKind.Int, f => f.StatusBangunan, (f, v) => f.StatusBangunan = (int?)v),
        F("luas_lantai", "LUAS_LANTAI", ColumnKind.Double, f => f.LuasLantai, (f, v) => f.LuasLantai = (double?)v),
        F("jenis_lantai", "JENIS_LANTAI", ColumnKind.Int, f => f.JenisLantai, (f, v) => f.JenisLantai = (int?)v),
        F("jenis_dinding", "JENIS_DINDING", ColumnKind.Int, f => f.JenisDinding, (f, v) => f.JenisDinding = (int?)v),
        F("jenis_atap", "JENIS_ATAP", ColumnKind.Int, f => f.JenisAtap, (f, v) => f.JenisAtap = (int?)v),
        F("sumber_air_minum", "SUMBER_AIR_MINUM", ColumnKind.Int, f => f.SumberAirMinum, (f, v) => f.SumberAirMinum = (int?)v),
        F("sumber_penerangan", "SUMBER_PENERANGAN", ColumnKind.Int, f => f.SumberPenerangan, (f, v) => f.SumberPenerangan = (int?)v),
        F("daya_listrik", "DAYA_LISTRIK", ColumnKind.Int, f => f.DayaListrik, (f, v) => f.DayaListrik = (int?)v),
        F("bahan_bakar_masak", "BAHAN_BAKAR_MASAK", ColumnKind.Int, f => f.BahanBakarMasak, (f, v) => f.BahanBakarMasak = (int?)v),
        F("fasilitas_bab", "FASILITAS_BAB", ColumnKind.Int, f => f.FasilitasBab, (f, v) => f.FasilitasBab = (int?)v),
        F("aset_kulkas", "ASET_KULKAS", ColumnKind.Bool, f => f.AsetKulkas, (f, v) => f.AsetKulkas = (bool?)v),
        F("aset_ac", "ASET_AC", ColumnKind.Bool, f => f.AsetAc, (f, v) => f.AsetAc = (bool?)v),
        F("aset_tv", "ASET_TV", ColumnKind.Bool, f => f.AsetTv, (f, v) => f.AsetTv = (bool?)v),
        F("aset_emas_10g", "ASET_EMAS_10G", ColumnKind.Bool, f => f.AsetEmas10g, (f, v) => f.AsetEmas10g = (bool?)v),
        F("aset_komputer", "ASET_KOMPUTER", ColumnKind.Bool, f => f.AsetKomputer, (f, v) => f.AsetKomputer = (bool?)v),
        F("aset_sepeda_motor", "ASET_SEPEDA_MOTOR", ColumnKind.Bool, f => f.AsetSepedaMotor, (f, v) => f.AsetSepedaMotor = (bool?)v),
        F("aset_mobil", "ASET_MOBIL", ColumnKind.Bool, f => f.AsetMobil, (f, v) => f.AsetMobil = (bool?)v),
        F("aset_perahu_motor", "ASET_PERAHU_MOTOR", ColumnKind.Bool, f => f.AsetPerahuMotor, (f, v) => f.AsetPerahuMotor = (bool?)v),
        F("aset_smartphone", "ASET_SMARTPHONE", ColumnKind.Bool, f => f.AsetSmartphone, (f, v) => f.AsetSmartphone = (bool?)v),
        F("aset_rekening", "ASET_REKENING", ColumnKind.Bool, f => f.AsetRekening, (f, v) => f.AsetRekening = (bool?)v),
        F("luas_lahan", "LUAS_LAHAN", ColumnKind.Double, f => f.LuasLahan, (f, v) => f.LuasLahan = (double?)v),
        F("ternak_sapi", "TERNAK_SAPI", ColumnKind.Int, f => f.TernakSapi, (f, v) => f.TernakSapi = (int?)v),
        F("ternak_kambing", "TERNAK_KAMBING", ColumnKind.Int, f => f.TernakKambing, (f, v) => f.TernakKambing = (int?)v),
        F("ternak_unggas", "TERNAK_UNGGAS", ColumnKind.Int, f => f.TernakUnggas, (f, v) => f.TernakUnggas = (int?)v),
        F("daging_per_minggu", "DAGING_PER_MINGGU", ColumnKind.Int, f => f.DagingPerMinggu, (f, v) => f.DagingPerMinggu = (int?)v),
        F("pakaian_per_tahun", "PAKAIAN_PER_TAHUN", ColumnKind.Int, f => f.PakaianPerTahun, (f, v) => f.PakaianPerTahun = (int?)v),
        F("makan_per_hari", "MAKAN_PER_HARI", ColumnKind.Int, f => f.MakanPerHari, (f, v) => f.MakanPerHari = (int?)v),
        F("mampu_berobat", "MAMPU_BEROBAT", ColumnKind.Bool, f => f.MampuBerobat, (f, v) => f.MampuBerobat = (bool?)v),
        F("tabungan_500rb", "TABUNGAN_500RB", ColumnKind.Bool, f => f.Tabungan500rb, (f, v) => f.Tabungan500rb = (bool?)v),
        F("desil_nasional", "DESIL_NASIONAL", ColumnKind.Int, f => f.DesilNasional, (f, v) => f.DesilNasional = (int?)v),
        F("desil_nasional_tanggal", null, ColumnKind.Date, f => f.DesilNasionalTanggal, (f, v) => f.DesilNasionalTanggal = (DateOnly?)v),
        F("pengeluaran_perkapita", "PENGELUARAN_PERKAPITA", ColumnKind.Long, f => f.PengeluaranPerkapita, (f, v) => f.PengeluaranPerkapita = (long?)v),
        F("row_hash", null, ColumnKind.Long, f => f.RowHash, (f, v) => f.RowHash = (long)v!),
        F("created_at", null, ColumnKind.Timestamp, f => f.CreatedAt, (f, v) => f.CreatedAt = (DateTime)v!),
        F("updated_at", null, ColumnKind.Timestamp, f => f.UpdatedAt, (f, v) => f.UpdatedAt = (DateTime)v!),
        F("version", null, ColumnKind.Long, f => f.Version, (f, v) => f.Version = (long)v!),
        F("verified_at", null, ColumnKind.Date, f => f.VerifiedAt, (f, v) => f.VerifiedAt = (DateOnly?)v),
    ];

    public static readonly IReadOnlyList<RegistryColumn<Person>> Person =
    [
        P("id", null, ColumnKind.Long, p => p.Id, (p, v) => p.Id = (long)v!),
        P("family_id", null, ColumnKind.Long, p => p.FamilyId, (p, v) => p.FamilyId = (long)v!),
        P("nik", "NIK", ColumnKind.Text, p => p.Nik, (p, v) => p.Nik = (string)v!),
        P("nik_sementara", null, ColumnKind.Bool, p => p.NikSementara, (p, v) => p.NikSementara = (bool)v!),
        P("nama", "NAMA", ColumnKind.Text, p => p.Nama, (p, v) => p.Nama = (string)v!),
        P("nama_kunci", null, ColumnKind.Text, p => p.NamaKunci, (p, v) => p.NamaKunci = (string)v!),
        P("jenis_kelamin", "JENIS_KELAMIN", ColumnKind.Int, p => p.JenisKelamin, (p, v) => p.JenisKelamin = (int)v!),
        P("tempat_lahir", "TEMPAT_LAHIR", ColumnKind.Text, p => p.TempatLahir, (p, v) => p.TempatLahir = (string?)v),
        P("tanggal_lahir", "TANGGAL_LAHIR", ColumnKind.Date, p => p.TanggalLahir, (p, v) => p.TanggalLahir = (DateOnly)v!),
        P("hubungan_kk", "HUBUNGAN_KK", ColumnKind.Int, p => p.HubunganKk, (p, v) => p.HubunganKk = (int)v!),
        P("status_kawin", "STATUS_KAWIN", ColumnKind.Int, p => p.StatusKawin, (p, v) => p.StatusKawin = (int)v!),
        P("pendidikan", "PENDIDIKAN", ColumnKind.Int, p => p.Pendidikan, (p, v) => p.Pendidikan = (int)v!),
        P("status_sekolah", "STATUS_SEKOLAH", ColumnKind.Int, p => p.StatusSekolah, (p, v) => p.StatusSekolah = (int?)v),
        P("bekerja", "BEKERJA", ColumnKind.Bool, p => p.Bekerja, (p, v) => p.Bekerja = (bool?)v),
        P("pekerjaan", "PEKERJAAN", ColumnKind.Text, p => p.Pekerjaan, (p, v) => p.Pekerjaan = (string?)v),
        P("penghasilan", "PENGHASILAN", ColumnKind.Long, p => p.Penghasilan, (p, v) => p.Penghasilan = (long?)v),
        P("disabilitas", "DISABILITAS", ColumnKind.Int, p => p.Disabilitas, (p, v) => p.Disabilitas = (int)v!),
        P("penyakit_kronis", "PENYAKIT_KRONIS", ColumnKind.Bool, p => p.PenyakitKronis, (p, v) => p.PenyakitKronis = (bool?)v),
        P("hamil", "HAMIL", ColumnKind.Bool, p => p.Hamil, (p, v) => p.Hamil = (bool?)v),
        P("row_hash", null, ColumnKind.Long, p => p.RowHash, (p, v) => p.RowHash = (long)v!),
        P("created_at", null, ColumnKind.Timestamp, p => p.CreatedAt, (p, v) => p.CreatedAt = (DateTime)v!),
        P("updated_at", null, ColumnKind.Timestamp, p => p.UpdatedAt, (p, v) => p.UpdatedAt = (DateTime)v!),
        P("status_hidup", null, ColumnKind.Int, p => p.StatusHidup, (p, v) => p.StatusHidup = (int)v!),
        P("status_tanggal", null, ColumnKind.Date, p => p.StatusTanggal, (p, v) => p.StatusTanggal = (DateOnly?)v),
        P("status_sumber", null, ColumnKind.Text, p => p.StatusSumber, (p, v) => p.StatusSumber = (string?)v),
        P("pindah_ke", null, ColumnKind.Text, p => p.PindahKe, (p, v) => p.PindahKe = (string?)v),
    ];

    /// <summary>
    /// The person columns and the name skeleton (<see cref="Registry.Person.DeriveNameSkeleton"/>): what a first load writes on
    /// PostgreSQL, where it drops the trigger that fills the skeleton for its transaction (Imports/FirstLoadSchema.cs).
    /// Not part of the row hash: the skeleton follows from <c>nama_kunci</c>.
    /// </summary>
    public static readonly IReadOnlyList<BulkColumn<Person>> PersonWithSkeleton =
    [
        .. Person,
        new("nama_kerangka", ColumnKind.Text, p => p.NamaKerangka),
        new("nama_kerangka_akhir", ColumnKind.Text, p => p.NamaKerangkaAkhir),
    ];

    public static readonly IReadOnlyList<RegistryColumn<FamilyChange>> Change =
    [
        new("family_id", null, ColumnKind.Long, c => c.FamilyId, (c, v) => c.FamilyId = (long)v!),
        new("person_id", null, ColumnKind.Long, c => c.PersonId, (c, v) => c.PersonId = (long?)v),
        new("field", null, ColumnKind.Text, c => c.Field, (c, v) => c.Field = (string)v!),
        new("old_value", null, ColumnKind.Text, c => c.OldValue, (c, v) => c.OldValue = (string?)v),
        new("new_value", null, ColumnKind.Text, c => c.NewValue, (c, v) => c.NewValue = (string?)v),
        new("changed_at", null, ColumnKind.Timestamp, c => c.ChangedAt, (c, v) => c.ChangedAt = (DateTime)v!),
        new("changed_by", null, ColumnKind.Text, c => c.ChangedBy, (c, v) => c.ChangedBy = (string)v!),
        new("source_file", null, ColumnKind.Text, c => c.SourceFile, (c, v) => c.SourceFile = (string?)v),
        new("import_job_id", null, ColumnKind.Long, c => c.ImportJobId, (c, v) => c.ImportJobId = (long?)v),
        new("source", null, ColumnKind.Text, c => c.Source, (c, v) => c.Source = (string)v!),
        new("source_ref", null, ColumnKind.Text, c => c.SourceRef, (c, v) => c.SourceRef = (string?)v),
        new("family_version", null, ColumnKind.Long, c => c.FamilyVersion, (c, v) => c.FamilyVersion = (long?)v),
    ];

    /// <summary>Canonical text of a value, as shown in the change history and hashed: invariant culture, booleans 0/1.</summary>
    public static string? Canonical(object? value) => value switch
    {
        null => null,
        bool b => b ? "1" : "0",
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// 64-bit hash of every import column's typed value: equal rows, equal hash, across processes and versions
    /// (stored in <c>row_hash</c>, so a re-imported unchanged row is recognised without reading it back).
    /// </summary>
    public static long HashOf<T>(IReadOnlyList<RegistryColumn<T>> columns, T row)
    {
        Span<int> hashes = stackalloc int[columns.Count];
        var n = 0;
        // By index: a foreach over the list interface allocates an enumerator, and this runs for every imported person.
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column.Import is not null)
            {
                hashes[n++] = ValueHash(column.Read(row));
            }
        }
        return Combine(hashes[..n]);
    }

    public static long Combine(ReadOnlySpan<int> columnHashes)
    {
        const ulong prime = 1099511628211UL;
        var hash = 14695981039346656037UL;
        foreach (var h in columnHashes)
        {
            hash = (hash ^ (uint)h) * prime;
            hash = (hash ^ (hash >> 29)) * prime;
        }
        return unchecked((long)hash);
    }

    /// <summary>A stable hash of a typed value (never string.GetHashCode: that one is randomised per process).</summary>
    public static int ValueHash(object? value) => value switch
    {
        null => NullHash,
        string s => TextHash(s),
        int i => IntHash(i),
        long l => LongHash(l),
        double d => DoubleHash(d),
        bool b => BoolHash(b),
        DateOnly date => DateHash(date),
        _ => 1,
    };

    /// <summary>The same hash as <see cref="ValueHash(object?)"/>, of a value read without boxing: the stored
    /// <c>row_hash</c> must not depend on which of the two computed it.</summary>
    public static int ValueHash(ColumnValue value) => value.Type switch
    {
        ColumnValueType.Null => NullHash,
        ColumnValueType.Text => TextHash(value.Text),
        ColumnValueType.Int => IntHash(value.Int),
        ColumnValueType.Long => LongHash(value.Long),
        ColumnValueType.Double => DoubleHash(value.Double),
        ColumnValueType.Bool => BoolHash(value.Bool),
        ColumnValueType.Date => DateHash(value.Date),
        _ => 1,
    };

    private const int NullHash = 0x5bd1e995;

    private static int TextHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }
            return h;
        }
    }

    private static int IntHash(int i) => unchecked((i * 31) + 7);

    private static int LongHash(long l) => unchecked((int)(l ^ (l >> 32)) * 17);

    private static int DoubleHash(double d)
    {
        var bits = BitConverter.DoubleToInt64Bits(d);
        return unchecked((int)(bits ^ (bits >> 32)) * 13);
    }

    private static int BoolHash(bool b) => b ? 0x1234567 : 0x7654321;

    private static int DateHash(DateOnly date) => unchecked(date.DayNumber * 11);
}
