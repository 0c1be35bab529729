using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Regions;

/// <summary>
/// A Kemendagri administrative region (kode wilayah, DOMAIN §4.3): province, regency (kabupaten/kota), district
/// (kecamatan) or village (desa/kelurahan). <see cref="Code"/> is the dotted form, e.g. <c>33.14.01.2001</c>.
/// </summary>
public sealed class Region
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Level { get; set; }
    public string? ParentCode { get; set; }

    public const string Province = "province";
    public const string Regency = "regency";
    public const string District = "district";
    public const string Village = "village";

    /// <summary>Village segment starting with 1 is a kelurahan, with 2 a desa (Permendagri 72/2019; DOMAIN §4.3).</summary>
    public bool IsKelurahan => Level == Village && Code.Length == 13 && Code[9] == '1';
}

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> builder)
    {
        builder.ToTable("regions");
        builder.HasKey(r => r.Code);
    }
}
