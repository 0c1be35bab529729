using Tuntas.Collaboration;
using Tuntas.Collaboration.Ranking;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Pages.Kolaborasi;

/// <summary>
/// The community's welfare ranking of a village against the PMT (hybrid targeting): record the classes
/// agreed in the village meeting by picking a class beside each family of the village (head's name, masked KK number,
/// RT/RW), or by pasting lines kept elsewhere; then see the families on which the two disagree, by name, for the
/// musdes. Only for users who see the village's families by name (not partners).
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("peringkat-desa", "code")]
public sealed class PeringkatModel(TuntasDb db, CommunityRanking ranking) : PageModel
{
    public string Code { get; private set; } = "";

    public string? Name { get; private set; }

    public CommunityRanking.Outcome Comparison { get; private set; } = null!;

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public int? Recorded { get; private set; }

    [BindProperty]
    public string? Session { get; set; }

    [BindProperty]
    public string? Lines { get; set; }

    /// <summary>The class picked beside each family (family id → 1–4, empty when not ranked in this session).</summary>
    [BindProperty]
    public Dictionary<long, string?> Kelas { get; set; } = [];

    /// <summary>The village's families to pick from, with the class each had in the latest session, if any.</summary>
    public IReadOnlyList<FamilyChoice> Families { get; private set; } = [];

    /// <summary>A family as the meeting knows it: the head's name, the masked KK number, RT/RW and address.</summary>
    public sealed record FamilyChoice(long Id, string MaskedNoKk, string? Head, string? Rt, string? Rw, string? Address, int? LastClass);

    public bool CanRecord => User.MayRecordNeedIn(Code);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }
        if (!CanRecord)
        {
            return Forbid();
        }
        var (recorded, problems) = await ranking.RecordAsync(Code, Session, await PickedLinesAsync(cancellationToken) + Lines, User.UserName(), cancellationToken);
        Problems = problems;
        if (problems.Count == 0)
        {
            Recorded = recorded;
            AuditDetail.Set(HttpContext, $"peringkat kesejahteraan {Code} ({Session}): {recorded} keluarga");
            Lines = null;
            Kelas = [];
        }
        await LoadAsync(code, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        Code = Regions.RegionCode.ToDotted(code) ?? "";
        if (Code.Length != 13 || !User.Has(RegistryPermissions.SeeVillageByName) || !User.AccessScope().CoversVillage(Code))
        {
            return false;
        }
        Name = await db.Regions.AsNoTracking().Where(r => r.Code == Code).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        if (Name is null)
        {
            return false;
        }
        Comparison = await ranking.CompareAsync(Code, cancellationToken);
        var last = await db.CommunityRankings.AsNoTracking().Where(r => r.KodeDesa == Code)
            .Select(r => new { r.FamilyId, r.Class, r.RecordedAt, r.Id }).ToListAsync(cancellationToken);
        var lastClass = last.GroupBy(r => r.FamilyId).ToDictionary(g => g.Key, g => g.MaxBy(r => (r.RecordedAt, r.Id))!.Class);
        var families = await db.Families.AsNoTracking().Where(f => f.KodeDesa == Code)
            .Select(f => new
            {
                f.Id,
                f.NoKk,
                f.Rt,
                f.Rw,
                f.Alamat,
                Head = db.Persons.Where(p => p.FamilyId == f.Id && p.HubunganKk == 1 && p.StatusHidup == Tuntas.Registry.LifeStatus.Hidup).Select(p => p.Nama).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        Families = [.. families
            .Select(f => new FamilyChoice(f.Id, NoKk.Mask(f.NoKk), f.Head, f.Rt, f.Rw, f.Alamat, lastClass.TryGetValue(f.Id, out var c) ? c : null))
            .OrderBy(f => f.Rw, StringComparer.Ordinal).ThenBy(f => f.Rt, StringComparer.Ordinal).ThenBy(f => f.Head, StringComparer.CurrentCulture)];
        return true;
    }

    /// <summary>
    /// The picked classes as the lines <see cref="CommunityRanking.RecordAsync"/> reads (NO_KK;KELAS), so a pick and a
    /// pasted line are checked by the same rules; only families of this village count (a forged id is ignored).
    /// </summary>
    private async Task<string> PickedLinesAsync(CancellationToken cancellationToken)
    {
        var picked = Kelas.Where(k => !string.IsNullOrWhiteSpace(k.Value)).ToDictionary(k => k.Key, k => k.Value!.Trim());
        if (picked.Count == 0)
        {
            return "";
        }
        var ids = picked.Keys.ToList();
        var numbers = await db.Families.AsNoTracking().Where(f => f.KodeDesa == Code && ids.Contains(f.Id))
            .Select(f => new { f.Id, f.NoKk }).ToListAsync(cancellationToken);
        return string.Concat(numbers.Select(f => f.NoKk + ";" + picked[f.Id] + "\n"));
    }
}
