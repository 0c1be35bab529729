using Tuntas.Attachments;
using Tuntas.FieldCollection;

namespace Tuntas.Verivali;

/// <summary>
/// The photos of worklist lines, for the line, the operator's review and the musdes: those taken with a visit in the back
/// office or the API (<see cref="VerivaliLinePhoto"/>, key <c>v{id}</c>) and those sent from ODK Collect with an accepted
/// field submission on the line (<see cref="FieldSubmissionFile"/>, key <c>f{id}</c>). The caller checks the reader may
/// see the line first; the stored name never leaves the server.
/// </summary>
public static class LinePhotos
{
    public sealed record Photo(long LineId, string Key, string FileName);

    public static async Task<ILookup<long, Photo>> OfAsync(TuntasDb db, IQueryable<long> lineIds, CancellationToken cancellationToken)
    {
        var taken = await db.VerivaliLinePhotos.AsNoTracking().Where(p => lineIds.Contains(p.LineId)).OrderBy(p => p.Id)
            .Select(p => new { p.LineId, p.Id, p.FileName }).ToListAsync(cancellationToken);
        var sent = await db.FieldSubmissionFiles.AsNoTracking()
            .Join(db.FieldSubmissions.Where(s => s.Status == FieldTerms.Accepted && s.LineId != null && lineIds.Contains(s.LineId.Value)),
                f => f.SubmissionId, s => s.Id, (f, s) => new { LineId = s.LineId!.Value, f.Id, f.FileName, f.ContentType })
            .OrderBy(f => f.Id).ToListAsync(cancellationToken);
        return taken.Select(p => new Photo(p.LineId, Key('v', p.Id), p.FileName))
            .Concat(sent.Select(f => new Photo(f.LineId, Key('f', f.Id), AttachmentRules.DownloadName(f.FileName, AttachmentRules.FromContentType(f.ContentType)))))
            .ToLookup(p => p.LineId);
    }

    /// <summary>The stored file and download name of one photo of a line, or null when the line has no such photo.</summary>
    public static async Task<(string StoredName, string FileName)?> FindAsync(TuntasDb db, long lineId, string key, CancellationToken cancellationToken)
    {
        if (key.Length < 2 || !long.TryParse(key.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }
        if (key[0] == 'v')
        {
            var photo = await db.VerivaliLinePhotos.AsNoTracking().Where(p => p.Id == id && p.LineId == lineId)
                .Select(p => new { p.StoredName, p.FileName }).SingleOrDefaultAsync(cancellationToken);
            return photo is null ? null : (photo.StoredName, photo.FileName);
        }
        if (key[0] == 'f')
        {
            var file = await db.FieldSubmissionFiles.AsNoTracking().Where(f => f.Id == id
                    && db.FieldSubmissions.Any(s => s.Id == f.SubmissionId && s.LineId == lineId && s.Status == FieldTerms.Accepted))
                .Select(f => new { f.StoredName, f.FileName }).SingleOrDefaultAsync(cancellationToken);
            return file is null ? null : (file.StoredName, file.FileName);
        }
        return null;
    }

    private static string Key(char kind, long id) => kind + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
