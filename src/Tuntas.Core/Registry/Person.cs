using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Registry;

/// <summary>A member of a family (anggota keluarga). NIK, health, disability and income are sensitive (UU PDP, DOMAIN §9).</summary>
public sealed class Person
{
    public long Id { get; set; }
    public long FamilyId { get; set; }
    public required string Nik { get; set; }
    public bool NikSementara { get; set; }
    public required string Nama { get; set; }
    /// <summary>Spelling-tolerant search key of the name (<see cref="NameKey"/>), indexed.</summary>
    public required string NamaKunci { get; set; }
    /// <summary>The key's consonant skeleton (<see cref="NameKey.Skeleton"/>), derived by the database from
    /// <see cref="NamaKunci"/> (migrations 0039 and 0045: a generated column on SQLite, a trigger on PostgreSQL) and
    /// indexed: the forgiving step of the name search.</summary>
    public string NamaKerangka { get; private set; } = "";
    /// <summary>The skeleton's last three letters, derived and indexed with it: a typo early in a name still finds it.</summary>
    public string NamaKerangkaAkhir { get; private set; } = "";

    /// <summary>
    /// Derives the skeleton from <see cref="NamaKunci"/> as the database does. Only a first load on PostgreSQL needs it
    /// (the trigger is dropped for it: Imports/FirstLoadSchema.cs); every other write leaves it to the database.
    /// </summary>
    public void DeriveNameSkeleton()
    {
        NamaKerangka = NameKey.Skeleton(NamaKunci);
        NamaKerangkaAkhir = NameKey.SkeletonEnd(NamaKerangka);
    }
    /// <summary>1 laki-laki, 2 perempuan.</summary>
    public int JenisKelamin { get; set; }
    public string? TempatLahir { get; set; }
    public DateOnly TanggalLahir { get; set; }
    /// <summary>SHDK: 1 kepala keluarga, 2 suami, 3 istri, 4 anak, 5 menantu, 6 cucu, 7 orang tua, 8 mertua, 9 famili lain, 10 pembantu, 11 lainnya.</summary>
    public int HubunganKk { get; set; }
    public int StatusKawin { get; set; }
    public int Pendidikan { get; set; }
    public int? StatusSekolah { get; set; }
    public bool? Bekerja { get; set; }
    public string? Pekerjaan { get; set; }
    public long? Penghasilan { get; set; }
    public int Disabilitas { get; set; }
    public bool? PenyakitKronis { get; set; }
    public bool? Hamil { get; set; }

    /// <summary>Life status (<see cref="LifeStatus"/>): only living members count in family size, targeting, the public
    /// status check and eligibility; the others stay in the family and its history.</summary>
    public int StatusHidup { get; set; } = LifeStatus.Hidup;
    public DateOnly? StatusTanggal { get; set; }
    /// <summary>Where the life status came from: berkas, editor, musdes, usulan, kunjungan.</summary>
    public string? StatusSumber { get; set; }
    /// <summary>Destination desa (Kemendagri code) or free text of a member who moved away.</summary>
    public string? PindahKe { get; set; }

    public bool IsAlive => StatusHidup == LifeStatus.Hidup;

    public long RowHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public int AgeOn(DateOnly day)
    {
        var age = day.Year - TanggalLahir.Year;
        return TanggalLahir.AddYears(age) > day ? age - 1 : age;
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("persons");
        builder.HasIndex(p => p.Nik).IsUnique();
        builder.HasIndex(p => p.NamaKunci);
        // Derived by the database: never written by EF (nor by the import's bulk path, which names its columns, except a
        // first load: RegistryColumns.PersonWithSkeleton), read back.
        foreach (var generated in new[] { builder.Property(p => p.NamaKerangka), builder.Property(p => p.NamaKerangkaAkhir) })
        {
            generated.ValueGeneratedOnAddOrUpdate();
            generated.Metadata.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
            generated.Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        }
    }
}
