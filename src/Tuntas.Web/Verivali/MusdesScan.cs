using Tuntas.Verivali;

namespace Tuntas.Web.Verivali;

/// <summary>The signed berita acara of a village's musdes, uploaded from its page or the API: one store for both.</summary>
public static class MusdesScan
{
    /// <summary>The largest scan accepted: a few signed pages as PDF or photos.</summary>
    public const long MaxScanBytes = 10 * 1024 * 1024;

    /// <summary>Stores the signed berita acara (PDF/JPEG/PNG by content, not by name) and notes it on the village's musdes.</summary>
    /// <param name="today">The regency's today (<see cref="Tuntas.Regions.RegencyOptions.Today"/>), the musdes' date when the scan
    /// comes before it is recorded: a scan uploaded in WIB's morning is still dated yesterday in UTC.</param>
    public static async Task<(string? Stored, Problem? Problem)> StoreAsync(TuntasDb db, Tuntas.Attachments.AttachmentStore storage, long periodId, string desa, IFormFile? file,
        DateOnly today, CancellationToken ct)
    {
        if (file is null || file.Length is 0 or > MaxScanBytes)
        {
            return (null, VerivaliProblems.Of("MUSDES_SCAN"));
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var content = buffer.ToArray();
        if (Tuntas.Attachments.AttachmentRules.Detect(content) is not { } type)
        {
            return (null, VerivaliProblems.Of("MUSDES_SCAN"));
        }
        // Only for a period that exists and is open: an unknown period failed on its foreign key (HTTP 500), and a closed
        // one took a scan and a musdes row nobody could close.
        switch (await db.VerivaliPeriods.AsNoTracking().Where(p => p.Id == periodId).Select(p => (DateTime?)p.ClosedAt).ToListAsync(ct))
        {
            case []:
                return (null, VerivaliProblems.Of("PERIOD_NOT_FOUND"));
            case [not null]:
                return (null, VerivaliProblems.Of("PERIOD_CLOSED"));
        }
        var musdes = await db.VerivaliMusdes.SingleOrDefaultAsync(m => m.PeriodId == periodId && m.KodeDesa == desa, ct);
        if (musdes?.ClosedAt is not null)
        {
            return (null, VerivaliProblems.Of("MUSDES_CLOSED"));
        }
        if (musdes is null)
        {
            musdes = new VerivaliMusdes { PeriodId = periodId, KodeDesa = desa, HeldOn = today };
            db.VerivaliMusdes.Add(musdes);
        }
        // Staged under a temporary name until the row naming it is committed (the attachment store's rule).
        var staged = await storage.StageAsync(content, type, ct);
        musdes.ScanPath = staged.StoredName;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            storage.Discard(staged);
            throw;
        }
        storage.Publish(staged);
        return (staged.StoredName, null);
    }
}
