using Tuntas.Audit;
using Tuntas.Linkage;

namespace Tuntas.Web.Pages.Duplikat;

/// <summary>
/// The duplicate queue (docs/linkage.md) for the regency's data officers: suspected pairs of persons in the reviewer's
/// scope, best first, each field's agreement shown, NIKs masked; "different persons" or "same person" (merge, keeping
/// the chosen one), and the latest merges with an undo. The list read is audited; the POSTs by the audit middleware.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("duplikat", null, AuditActions.ViewDuplicates)]
public sealed class IndexModel(TuntasDatabase database, TuntasDb db, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public const int Shown = 100;

    public IReadOnlyList<FindRegistryDuplicates.Pair> Pairs { get; private set; } = [];

    public IReadOnlyList<FindRegistryDuplicates.FamilyPair> Families { get; private set; } = [];

    public IReadOnlyList<PersonMerge> Merges { get; private set; } = [];

    public int Persons { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var outcome = await new FindRegistryDuplicates(database).RunAsync(new(User.AccessScope(), null, Shown), cancellationToken);
        Pairs = [.. outcome.Pairs.Select(p => p.Shown(reveal: false))];
        Persons = outcome.Persons;
        Families = [.. outcome.FamilyPairs.Take(Shown).Select(f => f.Shown(reveal: false))];
        AuditDetail.Set(HttpContext, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Pairs.Count} pasangan"));
        var scope = User.AccessScope();
        var merges = await db.PersonMerges.AsNoTracking().OrderByDescending(m => m.Id).Take(50)
            .Join(db.Families, m => m.KeptFamilyId, f => f.Id, (m, f) => new { Merge = m, f.KodeDesa }).ToListAsync(cancellationToken);
        Merges = [.. merges.Where(m => scope.Covers(m.Merge.KeptFamilyId, m.KodeDesa)).Select(m => m.Merge)];
    }

    public async Task OnPostDifferentAsync(long personIdA, long personIdB, double? score, CancellationToken cancellationToken)
    {
        var outcome = await new MarkDifferentPersons(db, clock).RunAsync(new(personIdA, personIdB, User.UserName(), User.AccessScope(), score), cancellationToken);
        Show(outcome.Problem, "Dup.DecidedDifferent");
        await OnGetAsync(cancellationToken);
    }

    public async Task OnPostSameAsync(long keepPersonId, long removePersonId, bool confirmConflicts, double? score, CancellationToken cancellationToken)
    {
        var outcome = await new MergePersons(db, clock, regency).RunAsync(new(keepPersonId, removePersonId, User.UserName(), User.AccessScope(), confirmConflicts, score), cancellationToken);
        Show(outcome.Problem, "Dup.Merged");
        await OnGetAsync(cancellationToken);
    }

    public async Task OnPostUndoAsync(long mergeId, CancellationToken cancellationToken)
    {
        var outcome = await new MergePersons(db, clock, regency).UndoAsync(mergeId, User.UserName(), User.AccessScope(), cancellationToken);
        Show(outcome.Problem, "Dup.Undone");
        await OnGetAsync(cancellationToken);
    }

    private void Show(Problem? problem, string done)
    {
        if (problem is null)
        {
            Message = done;
            return;
        }
        Error = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? problem.MessageEn : problem.Message;
    }
}
