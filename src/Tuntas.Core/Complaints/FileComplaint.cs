using Tuntas.Attachments;
using Tuntas.Notifications;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Complaints;

/// <summary>
/// Files a complaint from the portal, the posko front office or the API. Everything is checked first —
/// category, name, contact, NIK, village, description, each attachment's size and real type — and every problem is
/// listed; then, in one transaction, the complaint, its first step and its attachments are written, routed by
/// category and area (<see cref="ComplaintTerms"/>) with a due date from the category's SLA; a data complaint ("data
/// salah", "tidak terdaftar") also opens a change request for the village operator, linked both ways. The complainant
/// (when a contact is given) and the handler are notified. Attachment files are written under a temporary name before
/// the transaction and take their name only after the commit (<see cref="AttachmentStore"/>): a failed commit removes
/// them, a crash leaves them for the start-up sweep.
/// </summary>
public sealed class FileComplaint(TuntasDb db, AttachmentStore storage, INotificationSender notifications, TimeProvider clock)
{
    public const int MaxDescription = 4000;

    public sealed record Input(string? Category, string Channel, string? Name, string? Contact, string? Nik, string? KodeDesa, string? Description,
        string CreatedBy, IReadOnlyList<AttachmentRules.Upload> Attachments);

    public sealed record Outcome(Complaint? Complaint, IReadOnlyList<Problem> Problems, long? ChangeRequestId)
    {
        public bool Succeeded => Complaint is not null;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var category = ComplaintTerms.Find(input.Category);
        if (category is null)
        {
            problems.Add(new("Category", "CATEGORY_UNKNOWN", "Pilih kategori pengaduan: " + string.Join(", ", ComplaintTerms.Categories.Select(c => c.Code)) + ".",
                "Choose a complaint category: " + string.Join(", ", ComplaintTerms.Categories.Select(c => c.Code)) + "."));
        }
        var name = string.Join(' ', (input.Name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (name.Length is < 2 or > 100)
        {
            problems.Add(new("Name", "NAME_REQUIRED", "Nama pelapor wajib diisi (2–100 karakter).", "The complainant's name is required (2–100 characters)."));
        }
        var contact = string.IsNullOrWhiteSpace(input.Contact) ? null : input.Contact.Trim();
        if (contact is not null && !IsContact(contact))
        {
            problems.Add(new("Contact", "CONTACT_FORMAT", "Kontak harus nomor HP (8–15 angka) atau alamat e-mail.", "The contact must be a mobile number (8–15 digits) or an e-mail address."));
        }
        string? nik = null;
        if (!string.IsNullOrWhiteSpace(input.Nik))
        {
            nik = new string([.. input.Nik.Where(char.IsAsciiDigit)]);
            if (nik.Length != 16 || input.Nik.Trim().Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '.' or '-')))
            {
                problems.Add(new("Nik", "NIK_FORMAT", "NIK harus 16 angka.", "NIK must be 16 digits."));
                nik = null;
            }
        }
        string? village = null;
        if (!string.IsNullOrWhiteSpace(input.KodeDesa))
        {
            village = RegionCode.ToDotted(input.KodeDesa);
            if (village is not { Length: 13 } || !await db.Regions.AnyAsync(r => r.Code == village && r.Level == Region.Village, cancellationToken))
            {
                problems.Add(new("KodeDesa", "VILLAGE_UNKNOWN", "Pilih desa/kelurahan dari daftar.", "Choose the village from the list."));
                village = null;
            }
        }
        else if (category is { HandlerKind: ComplaintTerms.Village })
        {
            problems.Add(new("KodeDesa", "VILLAGE_REQUIRED", "Pengaduan ini ditangani pemerintah desa: pilih desa/kelurahan Anda.",
                "This complaint is handled by the village government: choose your village."));
        }
        var description = (input.Description ?? "").Trim();
        if (description.Length is < 10 or > MaxDescription)
        {
            problems.Add(new("Description", "DESCRIPTION_LENGTH",
                string.Create(CultureInfo.InvariantCulture, $"Uraikan pengaduan Anda (10–{MaxDescription} karakter)."),
                string.Create(CultureInfo.InvariantCulture, $"Describe your complaint (10–{MaxDescription} characters).")));
        }
        var files = new List<(AttachmentRules.Upload Upload, AttachmentRules.DetectedType Type)>();
        if (input.Attachments.Count > AttachmentRules.MaxFiles)
        {
            problems.Add(new("Attachments", "ATTACHMENT_COUNT",
                string.Create(CultureInfo.InvariantCulture, $"Paling banyak {AttachmentRules.MaxFiles} lampiran."),
                string.Create(CultureInfo.InvariantCulture, $"At most {AttachmentRules.MaxFiles} attachments.")));
        }
        foreach (var upload in input.Attachments.Take(AttachmentRules.MaxFiles))
        {
            var (type, problem) = AttachmentRules.Check(upload, "Attachments");
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else
            {
                files.Add((upload, type!));
            }
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems, null);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var villageName = village is null ? null : await db.Regions.AsNoTracking().Where(r => r.Code == village).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
        var family = nik is null ? null
            : await db.Persons.AsNoTracking().Where(p => p.Nik == nik).Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.FamilyId, f.KodeDesa })
                .FirstOrDefaultAsync(cancellationToken);
        var familyId = family?.FamilyId;
        var complaint = new Complaint
        {
            Ticket = await NewTicketAsync(cancellationToken),
            Category = category!.Code,
            Channel = input.Channel,
            Status = ComplaintTerms.New,
            KodeDesa = village,
            ComplainantName = name,
            ComplainantContact = contact,
            ComplainantNik = nik,
            FamilyId = familyId,
            Description = description,
            HandlerKind = category.HandlerKind,
            HandlerCode = category.HandlerKind switch
            {
                ComplaintTerms.Village => village!,
                ComplaintTerms.Agency => category.Agency!,
                _ => "TKPKD",
            },
            DueAt = now.AddDays(category.SlaDays),
            CreatedBy = input.CreatedBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var staged = new List<AttachmentStore.Staged>();
        long? changeRequestId = null;
        await AttachmentStore.CommitAsync(storage, staged, async () =>
        {
            var attachments = new List<ComplaintAttachment>();
            foreach (var (upload, type) in files)
            {
                var file = await storage.StageAsync(upload.Content, type, cancellationToken);
                staged.Add(file);
                attachments.Add(new ComplaintAttachment
                {
                    FileName = AttachmentRules.DownloadName(upload.FileName, type),
                    ContentType = type.ContentType,
                    Size = file.Size,
                    Sha256 = file.Sha256,
                    StoredName = file.StoredName,
                    CreatedAt = now,
                });
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Complaints.Add(complaint);
            await db.SaveChangesAsync(cancellationToken);
            db.ComplaintEvents.Add(new ComplaintEvent
            {
                ComplaintId = complaint.Id,
                At = now,
                Actor = input.CreatedBy,
                StatusTo = ComplaintTerms.New,
                Note = "Pengaduan diterima dan diteruskan ke " + HandlerLabel(complaint, villageName) + ".",
                IsPublic = true,
            });
            foreach (var attachment in attachments)
            {
                attachment.ComplaintId = complaint.Id;
            }
            db.ComplaintAttachments.AddRange(attachments);
            if (category.OpensChangeRequest && village is not null)
            {
                var request = new ChangeRequest
                {
                    ComplaintId = complaint.Id,
                    // The village operator who decides it is pointed at the family only when it is one of the village's.
                    FamilyId = family?.KodeDesa == village ? familyId : null,
                    KodeDesa = village,
                    Source = ComplaintTerms.SourceComplaint,
                    Description = $"Dari pengaduan {complaint.Ticket} ({category.Name}): {description}",
                    Status = ComplaintTerms.ChangeOpen,
                    CreatedBy = input.CreatedBy,
                    CreatedAt = now,
                };
                db.ChangeRequests.Add(request);
                await db.SaveChangesAsync(cancellationToken);
                changeRequestId = request.Id;
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await ComplaintNotices.SendAsync(notifications, complaint, $"Pengaduan {complaint.Ticket} diterima ({category.Name})", cancellationToken);
        return new Outcome(complaint, [], changeRequestId);
    }

    /// <summary>Who handles it, in words for the complainant.</summary>
    public static string HandlerLabel(Complaint complaint, string? villageName = null) => complaint.HandlerKind switch
    {
        ComplaintTerms.Village => "pemerintah desa " + (villageName ?? complaint.HandlerCode),
        ComplaintTerms.Agency => complaint.HandlerCode,
        _ => "sekretariat TKPKD",
    };

    private async Task<string> NewTicketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var ticket = ComplaintTicket.New();
            if (!await db.Complaints.AnyAsync(c => c.Ticket == ticket, cancellationToken))
            {
                return ticket;
            }
        }
    }

    private static bool IsContact(string contact)
    {
        if (contact.Contains('@', StringComparison.Ordinal))
        {
            var at = contact.IndexOf('@', StringComparison.Ordinal);
            return contact.Length <= 100 && at > 0 && contact.IndexOf('.', at) > at + 1 && !contact.Any(char.IsWhiteSpace);
        }
        var digits = contact.Count(char.IsAsciiDigit);
        return digits is >= 8 and <= 15 && contact.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-');
    }
}

/// <summary>The two notices of every complaint change: to the complainant (when a contact was given) and to the handler.</summary>
public static class ComplaintNotices
{
    public static async Task SendAsync(INotificationSender sender, Complaint complaint, string subject, CancellationToken cancellationToken)
    {
        var text = $"{subject}. Status: {complaint.Status}. Lacak di /Publik/Lacak dengan nomor tiket {complaint.Ticket}.";
        if (complaint.ComplainantContact is { } contact)
        {
            await sender.SendAsync(new Notification("pelapor", contact, subject, ForComplainant(complaint, subject)), cancellationToken);
        }
        await sender.SendAsync(new Notification("penangan:" + complaint.HandlerKind + ":" + complaint.HandlerCode, null, subject, text), cancellationToken);
    }

    /// <summary>
    /// What the complainant reads on a cheap phone: one SMS (160 plain characters, <see cref="SmsText"/>), in Indonesian,
    /// saying what happened and where to read more — the ticket is the key to the public tracking page, and the text
    /// repeats nothing else of the complaint (an SMS is read on a shared phone; the category may be a health matter).
    /// </summary>
    public static string ForComplainant(Complaint complaint, string subject)
    {
        var what = subject.Contains("batas waktu", StringComparison.Ordinal) ? "melewati batas waktu dan diteruskan ke TKPKD kabupaten"
            : complaint.Status switch
            {
                ComplaintTerms.New => "sudah kami terima",
                ComplaintTerms.InProgress => "sedang diproses petugas",
                ComplaintTerms.Resolved => "selesai ditangani",
                ComplaintTerms.Rejected => "ditolak",
                _ => "berubah status",
            };
        return SmsText.Fit($"Tuntas: pengaduan {complaint.Ticket} {what}. Lihat rinciannya di portal Tuntas, menu Lacak pengaduan, dengan nomor tiket ini.");
    }
}
