using Tuntas.Audit;
using Tuntas.Registry;
using Tuntas.Registry.Exports;
using Tuntas.Web.Registry;

namespace Tuntas.Web.Pages.Ekspor;

/// <summary>
/// The download of <see cref="IndexModel"/>'s form and of the village page's buttons: checked, then written to a
/// temporary file (an XLSX workbook needs a seekable stream; the registry never sits in memory) and sent as an
/// attachment. The files carry full NIKs: recorded once as a personal-data read of the village (or "wilayah" for the
/// whole scope), action <c>ekspor</c>. A refused request answers 400 with the reasons, and is not a read.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("desa", "desa", AuditActions.Export)]
public sealed class UnduhModel(TuntasDb db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] string? format, [FromQuery] string? desa, [FromQuery] string? berkas, CancellationToken cancellationToken)
    {
        var (request, problems) = await RegistryExport.CheckAsync(db, format, desa, berkas, User.AccessScope(), User.Has(RegistryPermissions.SeeSensitive), cancellationToken);
        if (request is null)
        {
            Problems = problems;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Tuntas.Web.Security.AuditDetail.Set(HttpContext, $"{request.Format}, {request.FileName}");
        return File(await RegistryFile.WriteAsync(HttpContext, request, db, clock, regency.Value, cancellationToken), request.ContentType, request.FileName);
    }
}
