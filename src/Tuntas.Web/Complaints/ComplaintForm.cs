using Tuntas.Attachments;
using Tuntas.Complaints;
using Tuntas.Regions;

namespace Tuntas.Web.Complaints;

/// <summary>The complaint form as posted, shared by the portal (/Publik/Pengaduan) and the posko front office (/Aduan/Baru).</summary>
public sealed class ComplaintForm
{
    public string? Category { get; set; }
    public string? Name { get; set; }
    public string? Contact { get; set; }
    public string? Nik { get; set; }
    public string? KodeDesa { get; set; }
    public string? Description { get; set; }

    /// <summary>Reads the uploaded files into memory, at most one byte past the limit each (enough to refuse it clearly).</summary>
    public static async Task<List<AttachmentRules.Upload>> ReadAttachmentsAsync(IEnumerable<IFormFile> files, CancellationToken cancellationToken)
    {
        var uploads = new List<AttachmentRules.Upload>();
        foreach (var file in files.Where(f => f.Length > 0))
        {
            using var buffer = new MemoryStream();
            await using var stream = file.OpenReadStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length <= AttachmentRules.MaxBytes)
            {
                buffer.Write(chunk, 0, read);
            }
            uploads.Add(new AttachmentRules.Upload(file.FileName, buffer.ToArray()));
        }
        return uploads;
    }

    /// <summary>The regency's villages for the form's list, grouped by kecamatan name.</summary>
    public static async Task<IReadOnlyList<(string Code, string Name, string District)>> VillagesAsync(TuntasDb db, string regency, CancellationToken cancellationToken)
    {
        var regions = await db.Regions.AsNoTracking().Where(r => r.Code.StartsWith(regency + ".") && (r.Level == Region.Village || r.Level == Region.District))
            .Select(r => new { r.Code, r.Name, r.Level }).ToListAsync(cancellationToken);
        var districts = regions.Where(r => r.Level == Region.District).ToDictionary(r => r.Code, r => r.Name);
        return [.. regions.Where(r => r.Level == Region.Village).OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => (r.Code, r.Name, districts.GetValueOrDefault(RegionCode.DistrictOf(r.Code)) ?? ""))];
    }
}

/// <summary>What the portal's and the posko's complaint pages share: the form, its files, the village list, the problems.</summary>
public abstract class ComplaintFormPage(TuntasDb db, FileComplaint fileComplaint, IConfiguration configuration) : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    [Microsoft.AspNetCore.Mvc.BindProperty]
    public ComplaintForm Form { get; set; } = new();

    [Microsoft.AspNetCore.Mvc.BindProperty]
    public List<IFormFile> Lampiran { get; set; } = [];

    public IReadOnlyList<(string Code, string Name, string District)> Villages { get; private set; } = [];

    public IReadOnlyList<Tuntas.Problem> Problems { get; private set; } = [];

    protected async Task LoadVillagesAsync(CancellationToken cancellationToken) =>
        Villages = await ComplaintForm.VillagesAsync(db, configuration.Regency(), cancellationToken);

    /// <summary>Files the posted form (all checks in <see cref="FileComplaint"/>); on success the form is cleared.</summary>
    protected async Task<Complaint?> FileAsync(string channel, string createdBy, CancellationToken cancellationToken)
    {
        var attachments = await ComplaintForm.ReadAttachmentsAsync(Lampiran, cancellationToken);
        var outcome = await fileComplaint.RunAsync(new FileComplaint.Input(Form.Category, channel, Form.Name, Form.Contact, Form.Nik,
            Form.KodeDesa, Form.Description, createdBy, attachments), cancellationToken);
        Problems = outcome.Problems;
        if (outcome.Complaint is not null)
        {
            Form = new ComplaintForm();
        }
        return outcome.Complaint;
    }
}
