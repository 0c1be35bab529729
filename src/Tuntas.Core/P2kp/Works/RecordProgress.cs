using Microsoft.Extensions.Options;
using Tuntas.Attachments;
using Tuntas.Regions;

namespace Tuntas.P2kp.Works;

/// <summary>
/// Reports an activity's progress on a date: the percent done (0–100), a note, and photos of the works — JPEG or PNG
/// by their bytes, each within <see cref="AttachmentRules.MaxBytes"/>, at most <see cref="MaxPhotos"/> per report —
/// staged in the attachment store before the report is saved and published after, as verivali visit photos are
/// (<see cref="AttachmentStore"/>), so none is half-stored. The date lies between 2000 and today; nothing is written on
/// any refusal.
/// </summary>
public sealed class RecordProgress(TuntasDb db, TimeProvider clock, AttachmentStore? store = null, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>Before, during, after: enough to show the works, small for village connections.</summary>
    public const int MaxPhotos = 5;

    public sealed record Input(long ActivityId, DateOnly OnDate, int Percent, string? Note, IReadOnlyList<AttachmentRules.Upload>? Photos,
        string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(P2kpProgress? Progress, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (await ActivityPlace.FindAsync(db, input.ActivityId, cancellationToken) is not { } place)
        {
            return new(null, [P2kpAccess.NotFound()]);
        }
        if (!P2kpAccess.MayManage(input.Role, input.Scope, place.KodeDesa))
        {
            return new(null, [P2kpAccess.Forbidden()]);
        }
        var problems = new List<Problem>();
        if (input.Percent is < 0 or > 100)
        {
            problems.Add(new("Percent", "OUT_OF_RANGE", "Kemajuan 0–100 %.", "Progress 0–100 %."));
        }
        var today = RegencyOptions.Of(regency).Today(clock);
        if (input.OnDate.Year < 2000 || input.OnDate > today)
        {
            problems.Add(new("OnDate", "OUT_OF_RANGE", "Tanggal kemajuan antara tahun 2000 dan hari ini.", "The progress date lies between 2000 and today."));
        }
        var photos = input.Photos ?? [];
        if (photos.Count > MaxPhotos)
        {
            problems.Add(new("Photos", "PHOTO_COUNT", string.Create(CultureInfo.InvariantCulture, $"Paling banyak {MaxPhotos} foto per laporan."),
                string.Create(CultureInfo.InvariantCulture, $"At most {MaxPhotos} photos per report.")));
        }
        var types = new List<AttachmentRules.DetectedType>();
        foreach (var photo in photos)
        {
            var (type, problem) = AttachmentRules.Check(photo, "Photos");
            if (problem is not null || type == AttachmentRules.Pdf)
            {
                problems.Add(problem ?? new("Photos", "ATTACHMENT_TYPE", "Foto harus JPEG atau PNG.", "A photo must be a JPEG or PNG."));
                continue;
            }
            types.Add(type!);
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var staged = new List<AttachmentStore.Staged>();
        if (photos.Count > 0)
        {
            var photoStore = store ?? throw new InvalidOperationException("RecordProgress needs the attachment store to keep photos.");
            for (var i = 0; i < photos.Count; i++)
            {
                staged.Add(await photoStore.StageAsync(photos[i].Content, types[i], cancellationToken));
            }
        }
        var progress = new P2kpProgress
        {
            ActivityId = place.ActivityId,
            OnDate = input.OnDate,
            Percent = input.Percent,
            Note = input.Note?.Trim() is { Length: > 0 } note ? note[..Math.Min(note.Length, 2000)] : null,
            RecordedBy = input.Actor,
            RecordedAt = now,
        };
        await AttachmentStore.CommitAsync(store, staged, async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.P2kpProgress.Add(progress);
            await db.SaveChangesAsync(cancellationToken);
            db.P2kpProgressPhotos.AddRange(staged.Select((file, i) => new P2kpProgressPhoto
            {
                ProgressId = progress.Id,
                FileName = AttachmentRules.DownloadName(photos[i].FileName, file.Type),
                StoredName = file.StoredName,
                ContentType = file.Type.ContentType,
                Size = file.Size,
                Sha256 = file.Sha256,
                UploadedBy = input.Actor,
                UploadedAt = now,
            }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return new(progress, []);
    }
}
