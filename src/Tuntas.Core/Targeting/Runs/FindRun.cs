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

    /// <summary>
    /// The same lookup as <see cref="ByReferenceAsync"/>, for the id alone, as one plain query: the CLI's export needs
    /// nothing else, and a cold process would pay about a second to build EF's model for it (docs/cli-startup.md).
    /// </summary>
    public static async Task<long> IdByReferenceAsync(TuntasDatabase database, string reference, CancellationToken cancellationToken)
    {
        var text = reference.Trim();
        var latest = text.Equals("latest", StringComparison.OrdinalIgnoreCase) || text.Equals("terbaru", StringComparison.OrdinalIgnoreCase);
        long id = 0;
        if (!latest && !long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out id))
        {
            throw new TargetingException([TargetingMessages.Issue("RUN", "RUN_NOT_FOUND", reference)]);
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = latest ? "SELECT MAX(id) FROM targeting_runs" : "SELECT id FROM targeting_runs WHERE id = @id";
        if (!latest)
        {
            select.AddParameter("@id", id);
        }
        return await select.ExecuteScalarAsync(cancellationToken) is { } found and not DBNull
            ? Convert.ToInt64(found, System.Globalization.CultureInfo.InvariantCulture)
            : throw new TargetingException([TargetingMessages.Issue("RUN", "RUN_NOT_FOUND", reference)]);
    }
}
