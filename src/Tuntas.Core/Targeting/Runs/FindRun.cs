using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Targeting.Runs;

/// <summary>A run by id, or <c>latest</c>; refused with RUN_NOT_FOUND otherwise.</summary>
public static class FindRun
{
    public static async Task<TargetingRun> ByReferenceAsync(TuntasDb db, string reference, CancellationToken cancellationToken)
    {
        var text = reference.Trim();
        TargetingRun? run = text.Equals("latest", StringComparison.OrdinalIgnoreCase) || text.Equals("terbaru", StringComparison.OrdinalIgnoreCase)
            ? await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken)
            : long.TryParse(text, out var id) ? await db.TargetingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) : null;
        return run ?? throw new TargetingException([TargetingMessages.Issue("RUN", "RUN_NOT_FOUND", reference)]);
    }
}
