using Tuntas.Registry;

namespace Tuntas.Web.Pages.Ekspor;

/// <summary>
/// The registry out in another system's layout (<see cref="Tuntas.Registry.Exports.RegistryExport"/>): a village, or every
/// village of the reader's scope, as OpenSID's population file or the DTKS workbook. The form names no person; the
/// download (<see cref="UnduhModel"/>) is the audited read. Only <see cref="RegistryPermissions.Export"/> (folder policy).
/// </summary>
public sealed class IndexModel : PageModel
{
    [FromQuery(Name = "desa")]
    public string? Desa { get; set; }

    public void OnGet()
    {
    }
}
