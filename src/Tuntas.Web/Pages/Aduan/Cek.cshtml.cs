using Tuntas.Complaints;
using Tuntas.PublicPortal;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Web.Pages.Aduan;

/// <summary>
/// The status check at the posko / PUSKESOS front office: an officer checks for a citizen who came in person, with
/// the same use case and the same answer as the portal (<see cref="CheckStatus"/>), but signed in and so not held to
/// the public per-NIK budget (<see cref="PublicRateLimits"/>) — which anyone can spend by typing a citizen's NIK, so
/// the citizen must still have a way to check. Each check is in the audit trail (the officer, the masked NIK, the
/// answer), like every other read of a person's data by staff (UU 27/2022). Not for partners and auditors.
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("nik", null, ReadsOnPost = true)]
public sealed class CekModel(CheckStatus check) : Publik.StatusCheckPage
{

    public IActionResult OnGet() => PoskoCheck.MayCheck(User) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!PoskoCheck.MayCheck(User))
        {
            return Forbid();
        }
        Result = await PoskoCheck.RunAsync(HttpContext, check, Nik, Nama, NoKk, cancellationToken);
        Nik = Nama = NoKk = null;
        return Page();
    }
}

/// <summary>What the posko page and <c>POST /api/posko/status</c> share: who may check, and the audit detail.</summary>
public static class PoskoCheck
{
    public static bool MayCheck(System.Security.Claims.ClaimsPrincipal user) => user.Has(ComplaintPermissions.File);

    public static async Task<CheckStatus.Outcome> RunAsync(HttpContext context, CheckStatus check, string? nik, string? nama, string? noKk, CancellationToken cancellationToken)
    {
        var outcome = await check.RunAsync(new CheckStatus.Input(nik, string.IsNullOrWhiteSpace(nama) ? null : nama, string.IsNullOrWhiteSpace(noKk) ? null : noKk),
            cancellationToken);
        var digits = new string([.. (nik ?? "").Where(char.IsAsciiDigit)]);
        AuditDetail.Set(context, $"cek status posko NIK {Nik.Mask(digits)}: {(outcome.Problem is not null ? "masukan ditolak" : outcome.Found ? "ditemukan" : "tidak ditemukan")}");
        return outcome;
    }
}
