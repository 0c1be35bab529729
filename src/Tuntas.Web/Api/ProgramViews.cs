using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Web.Imports;
using Tuntas.Web.Security;

namespace Tuntas.Web.Api;

/// <summary>
/// What the program pages and API share: the catalogue with open enrollment counts, a program's recipients
/// (region-scoped, identifiers masked unless the role may see them), labels in the reader's language, and the upload of
/// a recipient list, matched synchronously (lists are small) from a temporary file that is always deleted.
/// </summary>
public static class ProgramViews
{
    public const int PageSize = 50;

    /// <summary>Recipient lists are village or agency lists: a few thousand rows, never the registry's 200 MB.</summary>
    public const long MaxListBytes = 20L * 1024 * 1024;

    public sealed record ProgramView(long Id, string Code, string Name, string OwnerKind, string OwnerName, string FundingSource, string TargetUnit,
        string BenefitKind, long? Amount, string Period, bool AmountVerified, int? Quota, string? SourceNote, bool Active, int OpenEnrollments);

    public sealed record EnrollmentView(long Id, long FamilyId, long? PersonId, string Name, string? Nik, string NoKk, string KodeDesa, string Status,
        DateOnly StartedOn, DateOnly? EndedOn, string? ExitReason);

    public sealed record EnrollmentPage(string Program, int Page, int PageSize, int Total, IReadOnlyList<EnrollmentView> Items);

    public sealed record EventView(long Id, long EnrollmentId, string Status, string? Reason, DateOnly EffectiveOn, string? Note, string RecordedBy, DateTime RecordedAt);

    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Label(IReadOnlyList<Term> terms, string? code) =>
        terms.FirstOrDefault(t => t.Code == code) is { } term ? (English ? term.LabelEn : term.Label) : code ?? "";

    public static IReadOnlyList<Term> PeriodTerms { get; } = [.. ProgramTerms.Periods.Select(p => p.Term)];

    public static string Text(string message, string? messageEn) => English && messageEn is not null ? messageEn : message;

    public static string Rupiah(long? amount) => amount is { } a ? "Rp" + a.ToString("N0", CultureInfo.CurrentCulture) : "—";

    public static async Task<IReadOnlyList<ProgramView>> CatalogueAsync(TuntasDb db, CancellationToken cancellationToken)
    {
        var open = await db.Enrollments.AsNoTracking().Where(e => e.Status != ProgramTerms.Exited).GroupBy(e => e.ProgramId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken);
        return [.. programs.Select(p => ToView(p, open.GetValueOrDefault(p.Id)))];
    }

    public static async Task<ProgramView?> FindAsync(TuntasDb db, string code, CancellationToken cancellationToken)
    {
        var normalized = code.Trim().ToUpperInvariant();
        var program = await db.Programs.AsNoTracking().SingleOrDefaultAsync(p => p.Code == normalized, cancellationToken);
        if (program is null)
        {
            return null;
        }
        var open = await db.Enrollments.CountAsync(e => e.ProgramId == program.Id && e.Status != ProgramTerms.Exited, cancellationToken);
        return ToView(program, open);
    }

    public static ProgramView ToView(AssistanceProgram p, int open) =>
        new(p.Id, p.Code, p.Name, p.OwnerKind, p.OwnerName, p.FundingSource, p.TargetUnit, p.BenefitKind, p.Amount, p.Period, p.AmountVerified,
            p.Quota, p.SourceNote, p.Active, open);

    /// <summary>A program's enrollments, open first, in the user's region, 50 a page; the recipient is the person or the family head.</summary>
    public static async Task<EnrollmentPage> EnrollmentsAsync(TuntasDb db, ProgramView program, ClaimsPrincipal user, int page, CancellationToken cancellationToken)
    {
        var query = db.Enrollments.AsNoTracking().Where(e => e.ProgramId == program.Id)
            .Join(user.AccessScope().Apply(db.Families), e => e.FamilyId, f => f.Id, (e, f) => new { e, f });
        var total = await query.CountAsync(cancellationToken);
        page = Math.Max(1, page);
        var rows = await query.OrderBy(x => x.e.Status == ProgramTerms.Exited).ThenBy(x => x.f.KodeDesa).ThenBy(x => x.e.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(x => new
            {
                x.e.Id,
                x.e.FamilyId,
                x.e.PersonId,
                x.f.NoKk,
                x.f.KodeDesa,
                x.e.Status,
                x.e.StartedOn,
                x.e.EndedOn,
                x.e.ExitReason,
                Person = db.Persons.Where(p => p.Id == x.e.PersonId).Select(p => new { p.Nama, p.Nik }).FirstOrDefault(),
                Head = db.Persons.Where(p => p.FamilyId == x.e.FamilyId).OrderBy(p => p.HubunganKk).ThenBy(p => p.Id).Select(p => new { p.Nama, p.Nik }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var full = user.Has(RegistryPermissions.SeeSensitive);
        IReadOnlyList<EnrollmentView> items = [.. rows.Select(r =>
        {
            var who = r.Person ?? r.Head;
            return new EnrollmentView(r.Id, r.FamilyId, r.PersonId, who?.Nama ?? "", who is null ? null : full ? who.Nik : Nik.Mask(who.Nik),
                full ? r.NoKk : NoKk.Mask(r.NoKk), r.KodeDesa, r.Status, r.StartedOn, r.EndedOn, r.ExitReason);
        })];
        return new EnrollmentPage(program.Code, page, PageSize, total, items);
    }

    public static async Task<IReadOnlyDictionary<long, IReadOnlyList<EventView>>> HistoryAsync(TuntasDb db, IReadOnlyList<long> enrollmentIds, CancellationToken cancellationToken)
    {
        var ids = enrollmentIds.ToList();
        var events = await db.EnrollmentEvents.AsNoTracking().Where(ev => ids.Contains(ev.EnrollmentId)).OrderBy(ev => ev.RecordedAt).ThenBy(ev => ev.Id)
            .ToListAsync(cancellationToken);
        return events.GroupBy(ev => ev.EnrollmentId).ToDictionary(g => g.Key, g => (IReadOnlyList<EventView>)[.. g.Select(ToView)]);
    }

    public static EventView ToView(EnrollmentEvent ev) => new(ev.Id, ev.EnrollmentId, ev.Status, ev.Reason, ev.EffectiveOn, ev.Note, ev.RecordedBy, ev.RecordedAt);

    /// <summary>
    /// Whether the user may change this enrollment: its family is in the user's scope (a village operator: their
    /// village's) and its program is one the user manages (an agency officer: its own OPD's).
    /// </summary>
    public static async Task<bool> MayChangeAsync(TuntasDb db, long enrollmentId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var owner = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Join(user.AccessScope().Apply(db.Families), e => e.FamilyId, f => f.Id, (e, f) => e.ProgramId)
            .Join(db.Programs, id => id, p => p.Id, (_, p) => p.OwnerName)
            .FirstOrDefaultAsync(cancellationToken);
        return owner is not null && user.MayManage(owner);
    }

    /// <summary><see cref="ErrorKey"/> names a text in the UI resources (<c>Upload.*</c>).</summary>
    public sealed record UploadOutcome(RecipientMatchReport? Report, string? ErrorKey);

    /// <summary>
    /// Checks the file (size, extension, content: an XLSX is a ZIP starting with "PK", a CSV is text without NUL bytes),
    /// writes it under a random temporary name, matches it with <see cref="ImportRecipients"/> and deletes it.
    /// </summary>
    public static async Task<UploadOutcome> MatchUploadAsync(IFormFile? file, string programCode, bool dryRun, string userName,
        ImportRecipients import, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return new UploadOutcome(null, "Upload.Missing");
        }
        if (file.Length > MaxListBytes)
        {
            return new UploadOutcome(null, "Upload.TooLarge");
        }
        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".csv" or ".xlsx"))
        {
            return new UploadOutcome(null, "Upload.Extension");
        }
        var head = new byte[4096];
        int read;
        await using (var stream = file.OpenReadStream())
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var startsWithZip = read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
        var looksLikeText = !startsWithZip && Array.IndexOf(head, (byte)0, 0, read) < 0;
        if ((extension == ".xlsx" && !startsWithZip) || (extension == ".csv" && !looksLikeText))
        {
            return new UploadOutcome(null, "Upload.Content");
        }
        var path = Path.Combine(Path.GetTempPath(), "tuntas-penerima-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension);
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await file.CopyToAsync(target, cancellationToken);
            }
            var report = await import.RunAsync(new ImportRecipients.Input(programCode, path, ImportUploads.SafeFileName(file.FileName), dryRun, userName), cancellationToken);
            return new UploadOutcome(report, null);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
