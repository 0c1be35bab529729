using Tuntas.P2kp;
using Tuntas.P2kp.LoanBook;
using Tuntas.Web.P2kp;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>Upload a UPK loan book (LOAN-BOOK-FORMAT.md): check only, or import; every error by sheet, row, column and code.</summary>
public sealed class ImporModel(ImportLoanBook import) : PageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public bool DryRun { get; set; }

    public LoanBookReport? Report { get; private set; }

    public IActionResult OnGet() => P2kpAccess.MayImport(User.Role()) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!P2kpAccess.MayImport(User.Role()))
        {
            return Forbid();
        }
        Report = await LoanBookUpload.ImportAsync(Upload, DryRun, User, import, cancellationToken);
        if (Report.Committed)
        {
            AuditDetail.Set(HttpContext, "buku pinjaman UPK " + Report.File + ": " + string.Join(", ", Report.Counts.Select(c => $"{c.Key} {c.Value}")));
        }
        return Page();
    }
}
