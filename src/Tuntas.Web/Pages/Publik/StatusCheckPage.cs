using Tuntas.PublicPortal;

namespace Tuntas.Web.Pages.Publik;

/// <summary>The status check's form and answer, shared by the portal's page (/Publik/Cek) and the posko's (/Aduan/Cek).</summary>
public abstract class StatusCheckPage : PageModel
{
    [BindProperty]
    public string? Nik { get; set; }

    [BindProperty]
    public string? Nama { get; set; }

    [BindProperty]
    public string? NoKk { get; set; }

    public CheckStatus.Outcome? Result { get; protected set; }
}
