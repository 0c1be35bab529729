namespace Tuntas.Testing;

/// <summary>A family proposed by villagers (usulan baru) as the import's columns, valid unless a test changes a value.</summary>
public static class ProposedFamilies
{
    /// <summary>A proposed family as the import's columns (the values the field form sends in the OpenRosa tests).</summary>
    public static Dictionary<string, string?> Family(string desa = "33.14.01.2001") => new()
    {
        ["KODE_DESA"] = desa,
        ["NO_KK"] = "3314010101200077",
        ["ALAMAT"] = "Dukuh Baru",
        ["RT"] = "003",
        ["RW"] = "001",
        ["STATUS_BANGUNAN"] = "1",
        ["LUAS_LANTAI"] = "24",
        ["JENIS_LANTAI"] = "8",
        ["JENIS_DINDING"] = "6",
        ["JENIS_ATAP"] = "2",
        ["SUMBER_AIR_MINUM"] = "6",
        ["SUMBER_PENERANGAN"] = "2",
        ["BAHAN_BAKAR_MASAK"] = "10",
        ["FASILITAS_BAB"] = "6",
    };

    public static Dictionary<string, string?> Head(string nik) => new()
    {
        ["NIK"] = nik,
        ["NAMA"] = "Wagiman",
        ["JENIS_KELAMIN"] = "1",
        ["TEMPAT_LAHIR"] = "Sragen",
        ["TANGGAL_LAHIR"] = "1990-04-05",
        ["HUBUNGAN_KK"] = "1",
        ["STATUS_KAWIN"] = "1",
        ["PENDIDIKAN"] = "3",
        ["DISABILITAS"] = "0",
    };
}
