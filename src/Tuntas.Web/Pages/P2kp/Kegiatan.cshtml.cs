using Tuntas.P2kp;
using Tuntas.P2kp.Works;
using Tuntas.Users;

namespace Tuntas.Web.Pages.P2kp;

/// <summary>
/// One activity of a BKM's plan (a UPL work, a UPS activity): its progress reports with photos (record one: date,
/// percent, note, photos), and its beneficiary families from the registry of the BKM's desa — named, searched by the
/// head's name or NO_KK, taken off. Names only for the roles that see the desa's members (audited read).
/// </summary>
[Tuntas.Web.Security.PersonalDataRead("kegiatan-p2kp", "id")]
[RequestSizeLimit(RecordProgress.MaxPhotos * Tuntas.Attachments.AttachmentRules.MaxBytes + (1024 * 1024))]
public sealed class KegiatanModel(TuntasDb db, ReadActivity read, ActivityBeneficiaries beneficiaries, RecordProgress record,
    Tuntas.Attachments.AttachmentStore storage, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Tuntas.Regions.RegencyOptions> regency) : PageModel
{
    public ReadActivity.View View { get; private set; } = null!;
    public bool CanManage { get; private set; }
    public IReadOnlyList<WorkFamilies.Candidate> Candidates { get; private set; } = [];
    public IReadOnlyList<Problem> Problems { get; private set; } = [];
    public string? Search { get; private set; }
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>The beneficiary search is a POST: the text may be a NO_KK, which never goes into a URL (UU PDP 27/2022).</summary>
    public async Task<IActionResult> OnPostCariAsync(long id, string? cari, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Search = cari;
        if (CanManage && View.Beneficiaries is not null)
        {
            var named = View.Beneficiaries.Select(b => b.FamilyId).ToHashSet();
            Candidates = [.. (await WorkFamilies.SearchAsync(db, View.Place.KodeDesa, cari, cancellationToken)).Where(c => !named.Contains(c.FamilyId))];
        }
        return Page();
    }

    /// <summary>Names the ticked families, or takes one off (<paramref name="hapus"/>).</summary>
    public async Task<IActionResult> OnPostPenerimaAsync(long id, List<long> tambah, long? hapus, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var outcome = await beneficiaries.RunAsync(new ActivityBeneficiaries.Input(id, tambah, hapus is { } h ? [h] : [], User.UserName(), User.Role(), User.AccessScope()),
            cancellationToken);
        if (outcome.Problems.Count > 0)
        {
            Problems = outcome.Problems;
            return Page();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"penerima manfaat kegiatan {id}: +{outcome.Added} −{outcome.Removed} keluarga"));
        return Redirect(string.Create(CultureInfo.InvariantCulture, $"/P2kp/Kegiatan/{id}#penerima"));
    }

    public async Task<IActionResult> OnPostKemajuanAsync(long id, DateOnly? tanggal, int persen, string? catatan, List<IFormFile> foto, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var photos = await Tuntas.Web.Complaints.ComplaintForm.ReadAttachmentsAsync(foto, cancellationToken);
        var outcome = await record.RunAsync(new RecordProgress.Input(id, tanggal ?? Today, persen, catatan, photos, User.UserName(), User.Role(), User.AccessScope()),
            cancellationToken);
        if (outcome.Progress is null)
        {
            Problems = outcome.Problems;
            return Page();
        }
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"kemajuan kegiatan {id}: {persen} % per {outcome.Progress.OnDate:yyyy-MM-dd}, {photos.Count} foto"));
        return Redirect(string.Create(CultureInfo.InvariantCulture, $"/P2kp/Kegiatan/{id}#kemajuan"));
    }

    /// <summary>A progress photo, as a download with its detected type (the attachment store's rule).</summary>
    public async Task<IActionResult> OnGetFotoAsync(long id, long foto, CancellationToken cancellationToken)
    {
        if (await read.PhotoAsync(id, foto, User.AccessScope(), cancellationToken) is not { } photo
            || Tuntas.Web.Attachments.AttachmentDownload.Prepare(Response, storage, photo.StoredName, photo.FileName) is not { } file)
        {
            return NotFound();
        }
        return PhysicalFile(file.Path, file.ContentType, file.DownloadName);
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        Today = regency.Value.Today(clock);
        if (await read.RunAsync(id, User.Role(), User.AccessScope(), cancellationToken) is not { } view)
        {
            return false;
        }
        View = view;
        CanManage = P2kpAccess.MayManage(User.Role(), User.AccessScope(), view.Place.KodeDesa);
        return true;
    }
}
