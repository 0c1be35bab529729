using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Registry;

/// <summary>
/// A family (keluarga, one Kartu Keluarga) in the integrated registry (data terpadu). Since Permensos 3/2025 the family,
/// not the household, is the unit of DTSEN (DOMAIN §0). Field codes follow REGSOSEK2022.K (DOMAIN §2.2) as in the
/// import format. Nullable means "unknown", never "no".
/// </summary>
public sealed class Family
{
    public long Id { get; set; }
    public required string NoKk { get; set; }
    /// <summary>Temporary KK number: <c>0</c> + 10-digit desa code + serial (OpenSID convention; DOMAIN §1.2).</summary>
    public bool NoKkSementara { get; set; }
    public required string KodeDesa { get; set; }
    public string? Alamat { get; set; }
    public string? Rt { get; set; }
    public string? Rw { get; set; }
    public double? Lintang { get; set; }
    public double? Bujur { get; set; }

    public int? StatusBangunan { get; set; }
    public double? LuasLantai { get; set; }
    public int? JenisLantai { get; set; }
    public int? JenisDinding { get; set; }
    public int? JenisAtap { get; set; }
    public int? SumberAirMinum { get; set; }
    public int? SumberPenerangan { get; set; }
    public int? DayaListrik { get; set; }
    public int? BahanBakarMasak { get; set; }
    public int? FasilitasBab { get; set; }

    public bool? AsetKulkas { get; set; }
    public bool? AsetAc { get; set; }
    public bool? AsetTv { get; set; }
    public bool? AsetEmas10g { get; set; }
    public bool? AsetKomputer { get; set; }
    public bool? AsetSepedaMotor { get; set; }
    public bool? AsetMobil { get; set; }
    public bool? AsetPerahuMotor { get; set; }
    public bool? AsetSmartphone { get; set; }
    public bool? AsetRekening { get; set; }
    public double? LuasLahan { get; set; }
    public int? TernakSapi { get; set; }
    public int? TernakKambing { get; set; }
    public int? TernakUnggas { get; set; }

    public int? DagingPerMinggu { get; set; }
    public int? PakaianPerTahun { get; set; }
    public int? MakanPerHari { get; set; }
    public bool? MampuBerobat { get; set; }
    public bool? Tabungan500rb { get; set; }

    /// <summary>Official welfare decile from DTSEN/SIKS-NG as imported; kept beside any local estimate (DOMAIN §2.3).</summary>
    public int? DesilNasional { get; set; }
    /// <summary>Date the official decile was imported (the import's date), so its age is always visible.</summary>
    public DateOnly? DesilNasionalTanggal { get; set; }
    /// <summary>Monthly consumption per capita in rupiah; only survey samples (and demo data) carry it.</summary>
    public long? PengeluaranPerkapita { get; set; }

    /// <summary>Hash of every imported family field: an unchanged row on re-import is recognised without reading it.</summary>
    public long RowHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Raised by every write (<see cref="RegistryWriter"/>, the import): an edit made on an older version is refused.</summary>
    public long Version { get; set; } = 1;
    /// <summary>Date of the last field verification (verivali visit decided by the musdes, or an editor's check).</summary>
    public DateOnly? VerifiedAt { get; set; }

    public List<Person> Persons { get; set; } = [];
}

internal sealed class FamilyConfiguration : IEntityTypeConfiguration<Family>
{
    public void Configure(EntityTypeBuilder<Family> builder)
    {
        builder.ToTable("families");
        builder.HasIndex(f => f.NoKk).IsUnique();
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.HasMany(f => f.Persons).WithOne().HasForeignKey(p => p.FamilyId);
    }
}
