using Tuntas.Complaints;
using Tuntas.Verivali;
using Tuntas.Web.Verivali;

namespace Tuntas.Web.Pages.Verivali;

/// <summary>
/// The berita acara of a village's musdes, printable (attendance and signature blanks), with the decision per line, the
/// signed scan, the closing and the apply — the same use cases as <c>/api/verivali</c>.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("verivali", "id")]
public sealed class BeritaAcaraModel(TuntasDb db, BeritaAcara beritaAcara, DecideLines decideLines, CloseMusdes closeMusdes, ApplyDecisions applyDecisions,
    Tuntas.Attachments.AttachmentStore storage, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public BeritaAcara.Outcome Minutes { get; private set; } = null!;

    public Problem? Problem { get; private set; }

    public ApplyDecisions.Outcome? Applied { get; private set; }

    public bool MayDecide => User.Has(VerivaliPermissions.RunVillage);

    public async Task<IActionResult> OnGetAsync(long periode, string? desa, CancellationToken cancellationToken) =>
        desa is { Length: > 0 } && await LoadAsync(periode, desa, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPutusAsync(long periode, string desa, CancellationToken cancellationToken)
    {
        if (!MayDecide)
        {
            return Forbid();
        }
        var decisions = Request.Form.Keys.Where(k => k.StartsWith("d.", StringComparison.Ordinal) && Request.Form[k].ToString().Length > 0)
            .ToDictionary(k => long.Parse(k[2..], System.Globalization.CultureInfo.InvariantCulture), k => Request.Form[k].ToString());
        (_, Problem) = await decideLines.RunAsync(new DecideLines.Input(decisions, User.AccessScope(), User.Role(), User.UserName()), cancellationToken);
        // The trail says what happened: a refused step is recorded as refused, with its code, not as done.
        AuditDetail.Set(HttpContext, Problem is null ? $"keputusan musdes {desa}: {decisions.Count} baris" : $"keputusan musdes {desa} ditolak ({Problem.Code})");
        return await LoadAsync(periode, desa, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostTutupAsync(long periode, string desa, DateOnly tanggal, IFormFile? pindaian, CancellationToken cancellationToken)
    {
        if (!MayDecide || !User.AccessScope().CoversVillage(desa))
        {
            return Forbid();
        }
        if (pindaian is not null)
        {
            (_, Problem) = await MusdesScan.StoreAsync(db, storage, periode, desa, pindaian, regency.Value.Today(clock), cancellationToken);
        }
        if (Problem is null)
        {
            (_, Problem) = await closeMusdes.RunAsync(new CloseMusdes.Input(periode, desa, tanggal, null, User.AccessScope(), User.UserName()), cancellationToken);
        }
        AuditDetail.Set(HttpContext, Problem is null ? $"tutup musdes {desa} periode #{periode}" : $"tutup musdes {desa} periode #{periode} ditolak ({Problem.Code})");
        return await LoadAsync(periode, desa, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostTerapkanAsync(long periode, string desa, CancellationToken cancellationToken)
    {
        if (!MayDecide)
        {
            return Forbid();
        }
        Applied = await applyDecisions.RunAsync(new ApplyDecisions.Input(periode, desa, User.AccessScope(), User.UserName()), cancellationToken);
        Problem = Applied.Problem;
        AuditDetail.Set(HttpContext, $"terapkan musdes {desa}: {Applied.Applied} diterapkan, {Applied.Conflicts} konflik");
        return await LoadAsync(periode, desa, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long periode, string desa, CancellationToken cancellationToken)
    {
        var minutes = await beritaAcara.RunAsync(periode, desa, User.AccessScope(), cancellationToken);
        if (minutes is null)
        {
            return false;
        }
        Minutes = minutes;
        return true;
    }
}
