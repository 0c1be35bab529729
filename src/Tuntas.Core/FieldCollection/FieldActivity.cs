using System.Linq.Expressions;
using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.FieldCollection;

/// <summary>
/// What the back office and the API show of field collection: the devices (a user's own, or all for a user manager),
/// the forms and their versions, submissions per enumerator per day (WIB) over the last 30 days, and the latest
/// submissions with the reasons of each refusal. An enumerator sees their own submissions; a village operator or
/// facilitator also those in the villages of their scope; the regency all.
/// </summary>
public sealed class FieldActivity(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(string UserName, AccessScope Scope, bool ManagesUsers);

    public sealed record DeviceRow(long Id, string UserName, string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt);

    public sealed record FormRow(string FormId, int Version, string Hash, DateTime CreatedAt, int Submissions);

    public sealed record DayRow(string SubmittedBy, DateOnly Day, int Accepted, int Refused);

    public sealed record SubmissionRow(long Id, string InstanceId, string FormId, int FormVersion, string SubmittedBy, DateTime ReceivedAt,
        string Status, string? Problems, long? LineId, string? KodeDesa, double? Latitude, double? Longitude, int Photos, long? PhotoId);

    public sealed record Outcome(IReadOnlyList<DeviceRow> Devices, IReadOnlyList<FormRow> Forms, IReadOnlyList<DayRow> PerDay, IReadOnlyList<SubmissionRow> Latest);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var devices = await db.DeviceTokens.AsNoTracking()
            .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new { Token = t, u.UserName })
            .Where(d => input.ManagesUsers || d.UserName == input.UserName).OrderByDescending(d => d.Token.Id).Take(500)
            .Select(d => new DeviceRow(d.Token.Id, d.UserName, d.Token.Name, d.Token.CreatedAt, d.Token.LastUsedAt, d.Token.RevokedAt))
            .ToListAsync(cancellationToken);
        var counts = await db.FieldSubmissions.AsNoTracking().GroupBy(s => new { s.FormId, s.FormVersion })
            .Select(g => new { g.Key.FormId, g.Key.FormVersion, Count = g.Count() }).ToListAsync(cancellationToken);
        var forms = (await db.FieldForms.AsNoTracking().OrderBy(f => f.FormId).ThenByDescending(f => f.Version)
                .Select(f => new { f.FormId, f.Version, f.Hash, f.CreatedAt }).ToListAsync(cancellationToken))
            .Select(f => new FormRow(f.FormId, f.Version, f.Hash, f.CreatedAt,
                counts.FirstOrDefault(c => c.FormId == f.FormId && c.FormVersion == f.Version)?.Count ?? 0)).ToList();

        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var visible = Visible(input).Where(s => s.ReceivedAt >= since);
        var recent = await visible.Select(s => new { s.SubmittedBy, s.ReceivedAt, s.Status }).ToListAsync(cancellationToken);
        // Days as the field lives them: the regency's days, not the server's.
        var perDay = recent.GroupBy(s => (s.SubmittedBy, Day: DateOnly.FromDateTime(RegencyOptions.Of(regency).ToRegency(s.ReceivedAt))))
            .Select(g => new DayRow(g.Key.SubmittedBy, g.Key.Day, g.Count(s => s.Status == FieldTerms.Accepted), g.Count(s => s.Status != FieldTerms.Accepted)))
            .OrderByDescending(r => r.Day).ThenBy(r => r.SubmittedBy, StringComparer.Ordinal).ToList();
        var latest = await Visible(input).OrderByDescending(s => s.Id).Take(100)
            .Select(s => new SubmissionRow(s.Id, s.InstanceId, s.FormId, s.FormVersion, s.SubmittedBy, s.ReceivedAt, s.Status, s.Problems, s.LineId, s.KodeDesa,
                s.Latitude, s.Longitude, db.FieldSubmissionFiles.Count(f => f.SubmissionId == s.Id),
                db.FieldSubmissionFiles.Where(f => f.SubmissionId == s.Id).OrderBy(f => f.Id).Select(f => (long?)f.Id).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new Outcome(devices, forms, perDay, latest);
    }

    /// <summary>A photo of a submission the user may see (for the operator's review), or null.</summary>
    public Task<FieldSubmissionFile?> PhotoAsync(Input input, long fileId, CancellationToken cancellationToken) =>
        db.FieldSubmissionFiles.AsNoTracking().Where(f => f.Id == fileId && Visible(input).Any(s => s.Id == f.SubmissionId)).SingleOrDefaultAsync(cancellationToken);

    private IQueryable<FieldSubmission> Visible(Input input)
    {
        var inScope = input.Scope.VillageFilter<FieldSubmission>(s => s.KodeDesa);
        Expression<Func<FieldSubmission, bool>> own = s => s.SubmittedBy == input.UserName;
        // One SQL condition: the user's own submissions, or any in the villages of their scope.
        var either = Expression.Lambda<Func<FieldSubmission, bool>>(
            Expression.OrElse(own.Body, Expression.Invoke(inScope, own.Parameters[0])), own.Parameters[0]);
        return db.FieldSubmissions.AsNoTracking().Where(input.Scope.Regions is { Count: 0 } ? own : either);
    }

    /// <summary>Today in WIB, for "submissions today" counters.</summary>
    public DateOnly Today => RegencyOptions.Of(regency).Today(clock);
}
