using Tuntas.P2kp;
using Tuntas.P2kp.Institutions;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// Form a KSM: search the registry (families the user sees by name) for the members, tick them, choose the chair. The
/// search keeps the ticked members across searches as hidden fields.
/// </summary>
public sealed class KsmBaruModel(TuntasDb db, FormKsm form, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public sealed record Candidate(long PersonId, string Name, string NikMasked, string NoKkMasked, string KodeDesa, int? Desil);

    public IReadOnlyList<Upk> Upks { get; private set; } = [];

    public IReadOnlyList<Candidate> Candidates { get; private set; } = [];

    public IReadOnlyList<Candidate> Chosen { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public long? UpkId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string Jenis { get; set; } = "EKONOMI";
    [BindProperty(SupportsGet = true)] public DateOnly? FormedOn { get; set; }
    [BindProperty] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public List<long> PersonIds { get; set; } = [];
    [BindProperty(SupportsGet = true)] public long? KetuaPersonId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Facilitator { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!User.Has(P2kpAccess.SeeMembers))
        {
            return Forbid();
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// Searching and adding members is a POST that re-renders the form with its state: the search text and the chosen
    /// members never go into a URL (UU PDP 27/2022), where history and access logs would keep them.
    /// </summary>
    public Task<IActionResult> OnPostCariAsync(CancellationToken cancellationToken) => OnGetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await form.RunAsync(new FormKsm.Input(UpkId ?? 0, Name, Jenis, FormedOn ?? regency.Value.Today(clock), PersonIds, KetuaPersonId,
            Facilitator, User.Role(), User.AccessScope()), cancellationToken);
        if (outcome.Ksm is { } ksm)
        {
            AuditDetail.Set(HttpContext, $"KSM dibentuk {ksm.Kode} ({PersonIds.Count} anggota)");
            return Redirect($"/P2kp/Ksm/{ksm.Id}");
        }
        Problems = outcome.Problems;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        Upks = (await db.Upks.AsNoTracking().OrderBy(u => u.Kode).ToListAsync(cancellationToken))
            .Where(u => P2kpAccess.MayManage(User.Role(), scope, u.KodeDesa)).ToList();
        var persons = db.Persons.AsNoTracking().Join(db.Families.AsNoTracking().Where(scope.FamilyFilter()), p => p.FamilyId, f => f.Id,
            (p, f) => new { p.Id, p.Nama, p.NamaKunci, p.Nik, f.NoKk, f.KodeDesa, f.DesilNasional });
        var ids = PersonIds;
        Chosen = (await persons.Where(x => ids.Contains(x.Id)).ToListAsync(cancellationToken))
            .Select(x => new Candidate(x.Id, x.Nama, Nik.Mask(x.Nik), NoKk.Mask(x.NoKk), x.KodeDesa, x.DesilNasional)).ToList();
        if (Q is { Length: >= 3 } q)
        {
            var key = NameKey.For(q);
            Candidates = (await persons.Where(x => x.NamaKunci.Contains(key) && !ids.Contains(x.Id)).OrderBy(x => x.Nama).Take(30).ToListAsync(cancellationToken))
                .Select(x => new Candidate(x.Id, x.Nama, Nik.Mask(x.Nik), NoKk.Mask(x.NoKk), x.KodeDesa, x.DesilNasional)).ToList();
        }
    }
}
