using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Tuntas.Linkage;

/// <summary>
/// A reviewer's decision on a suspected duplicate pair of persons (ids ordered, A &lt; B). <c>berbeda</c>: two different
/// persons, never proposed again; <c>sama</c>: merged (<see cref="MergeId"/>). The NIKs are kept as they were when decided.
/// </summary>
public sealed class DuplicateDecision
{
    public const string Different = "berbeda";
    public const string Same = "sama";

    public long Id { get; set; }
    public long FirstPersonId { get; set; }
    public long SecondPersonId { get; set; }
    public required string NikA { get; set; }
    public required string NikB { get; set; }
    public required string Decision { get; set; }
    public double? Score { get; set; }
    public string? Note { get; set; }
    public long? MergeId { get; set; }
    public required string DecidedBy { get; set; }
    public DateTime DecidedAt { get; set; }
}

/// <summary>
/// One merge of a duplicate person into the kept one, with everything needed to undo it: the removed person as it was
/// (JSON), the kept person's fields before (JSON) and what happened to each program enrollment (JSON).
/// </summary>
public sealed class PersonMerge
{
    public long Id { get; set; }
    public long KeptPersonId { get; set; }
    public long KeptFamilyId { get; set; }
    public long RemovedPersonId { get; set; }
    public long RemovedFamilyId { get; set; }
    public required string RemovedNik { get; set; }
    public required string RemovedPerson { get; set; }
    public required string KeptBefore { get; set; }
    public required string Enrollments { get; set; }
    public required string MergedBy { get; set; }
    public DateTime MergedAt { get; set; }
    public string? UndoneBy { get; set; }
    public DateTime? UndoneAt { get; set; }
}

internal sealed class LinkageConfigurations : IEntityTypeConfiguration<DuplicateDecision>, IEntityTypeConfiguration<PersonMerge>
{
    public void Configure(EntityTypeBuilder<DuplicateDecision> builder)
    {
        builder.ToTable("duplicate_decisions");
        builder.HasIndex(d => new { d.FirstPersonId, d.SecondPersonId }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<PersonMerge> builder) => builder.ToTable("person_merges");
}
