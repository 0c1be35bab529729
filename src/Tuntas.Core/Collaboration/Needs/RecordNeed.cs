using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Needs;

/// <summary>
/// Records a village need: village, kind, title, estimated cost as written (<c>15.000.000</c>,
/// <c>Rp 15 jt</c>), where it came from (musdes, participatory assessment, complaint), and optionally the named family
/// by NO_KK (in the form body, never a URL). All checked first; every problem listed.
/// </summary>
public sealed class RecordNeed(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string? KodeDesa, string? Kind, string? Title, string? Description, string? Cost, string? Source, string? NoKk, string CreatedBy);

    public sealed record Outcome(Need? Need, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var village = RegionCode.ToDotted(input.KodeDesa ?? "");
        if (village is not { Length: 13 } || !await db.Regions.AnyAsync(r => r.Code == village && r.Level == Region.Village, cancellationToken))
        {
            problems.Add(new("KodeDesa", "VILLAGE_UNKNOWN", "Pilih desa/kelurahan.", "Choose the village."));
        }
        if (!CollaborationTerms.IsKnown(CollaborationTerms.NeedKinds, input.Kind))
        {
            problems.Add(new("Kind", "KIND_UNKNOWN", "Pilih jenis kebutuhan.", "Choose the kind of need."));
        }
        if (!CollaborationTerms.IsKnown(CollaborationTerms.NeedSources, input.Source))
        {
            problems.Add(new("Source", "SOURCE_UNKNOWN", "Pilih asal kebutuhan (musdes, kajian partisipatif, pengaduan, lainnya).", "Choose where the need came from."));
        }
        var title = (input.Title ?? "").Trim();
        if (title.Length is < 5 or > 200)
        {
            problems.Add(new("Title", "TITLE_LENGTH", "Judul kebutuhan 5–200 karakter.", "The title is 5–200 characters."));
        }
        var (cost, costProblem, costProblemEn) = Rupiah.Parse(input.Cost);
        if (cost is null or <= 0)
        {
            problems.Add(new("Cost", "COST", costProblem ?? "Perkiraan biaya wajib diisi, mis. 15.000.000 atau Rp 15 jt.",
                costProblemEn ?? "The estimated cost is required, e.g. 15.000.000 or Rp 15 jt."));
        }
        long? familyId = null;
        if (!string.IsNullOrWhiteSpace(input.NoKk))
        {
            var digits = new string([.. input.NoKk.Where(char.IsAsciiDigit)]);
            familyId = await db.Families.AsNoTracking().Where(f => f.NoKk == digits && f.KodeDesa == village).Select(f => (long?)f.Id).FirstOrDefaultAsync(cancellationToken);
            if (familyId is null)
            {
                problems.Add(new("NoKk", "FAMILY_NOT_IN_VILLAGE", "NO_KK tidak ada di data terpadu desa ini.", "This NO_KK is not in this village's registry."));
            }
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var need = new Need
        {
            KodeDesa = village!,
            FamilyId = familyId,
            Kind = input.Kind!,
            Title = title,
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            EstimatedCost = cost!.Value,
            Source = input.Source!,
            Status = CollaborationTerms.NeedOpen,
            CreatedBy = input.CreatedBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Needs.Add(need);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome(need, []);
    }
}
