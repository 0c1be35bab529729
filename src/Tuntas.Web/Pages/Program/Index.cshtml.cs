using Tuntas.Programs;

namespace Tuntas.Web.Pages.Program;

/// <summary>
/// The program catalogue and, for the roles that manage programs, the form that adds or edits one
/// (<see cref="SaveProgram"/>, every problem listed). Any signed-in role reads.
/// </summary>
public sealed class IndexModel(TuntasDb db, SaveProgram saveProgram) : PageModel
{
    [BindProperty]
    public ProgramForm Form { get; set; } = new();

    public IReadOnlyList<ProgramCatalogue.ProgramView> Programs { get; private set; } = [];

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public string? Saved { get; private set; }

    public bool CanManage => User.Has(ProgramPermissions.Manage);

    public async Task OnGetAsync([FromQuery(Name = "ubah")] string? edit, CancellationToken cancellationToken)
    {
        Programs = await ProgramCatalogue.ListAsync(db, cancellationToken);
        if (edit is not null && Programs.FirstOrDefault(p => p.Code == edit.Trim().ToUpperInvariant()) is { } program)
        {
            Form = ProgramForm.From(program);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // An agency officer adds and edits only programs owned by its own OPD.
        var existing = await ProgramCatalogue.FindAsync(db, Form.Code ?? "", cancellationToken);
        if (!CanManage || !User.MayManage(Form.OwnerName ?? "") || (existing is not null && !User.MayManage(existing.OwnerName)))
        {
            return Forbid();
        }
        var outcome = await saveProgram.RunAsync(Form.ToInput(), cancellationToken);
        Problems = outcome.Problems;
        Saved = outcome.Saved?.Code;
        Programs = await ProgramCatalogue.ListAsync(db, cancellationToken);
        return Page();
    }
}

/// <summary>The add/edit form of a program, as posted (the amount as written: 300000, 300.000, Rp 300 rb).</summary>
public sealed class ProgramForm
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string OwnerKind { get; set; } = "";
    public string OwnerName { get; set; } = "";
    public string FundingSource { get; set; } = "";
    public string TargetUnit { get; set; } = ProgramTerms.Family;
    public string BenefitKind { get; set; } = "";
    public string? Amount { get; set; }
    public string Period { get; set; } = "";
    public int? Quota { get; set; }
    public bool AmountVerified { get; set; }
    public string? SourceNote { get; set; }
    public bool Active { get; set; } = true;

    public SaveProgram.Input ToInput() =>
        new(Code ?? "", Name ?? "", OwnerKind ?? "", OwnerName ?? "", FundingSource ?? "", TargetUnit ?? "", BenefitKind ?? "", Amount, Period ?? "",
            Quota, AmountVerified, SourceNote, Active);

    public static ProgramForm From(ProgramCatalogue.ProgramView p) => new()
    {
        Code = p.Code,
        Name = p.Name,
        OwnerKind = p.OwnerKind,
        OwnerName = p.OwnerName,
        FundingSource = p.FundingSource,
        TargetUnit = p.TargetUnit,
        BenefitKind = p.BenefitKind,
        Amount = p.Amount?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Period = p.Period,
        Quota = p.Quota,
        AmountVerified = p.AmountVerified,
        SourceNote = p.SourceNote,
        Active = p.Active,
    };
}
