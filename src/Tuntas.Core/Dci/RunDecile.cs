using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Dci;

/// <summary>
/// A family's desil in a targeting run, read from <c>targeting_results</c> (written in bulk by <c>RunTargeting</c>, never
/// through EF): mapped here so that a DCI expression on <c>poverty_score</c> filters and sorts in SQL.
/// </summary>
public sealed class RunDecile
{
    public long RunId { get; set; }
    public long FamilyId { get; set; }
    public int? Desil { get; set; }
}

internal sealed class RunDecileConfiguration : IEntityTypeConfiguration<RunDecile>
{
    public void Configure(EntityTypeBuilder<RunDecile> builder)
    {
        builder.ToTable("targeting_results");
        builder.HasKey(r => new { r.RunId, r.FamilyId });
    }
}
