using Microsoft.Extensions.Options;
using Tuntas.Regions;

namespace Tuntas.Collaboration.Meetings;

/// <summary>Open follow-ups, overdue first, optionally only those of the given owners (a user's own organization).</summary>
/// <param name="regency">Its time zone says what "today" is: an action due yesterday is overdue from midnight WIB, not
/// from 07:00 WIB when UTC's date changes.</param>
public sealed class ListOpenActions(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record OpenAction(ActionItem Action, string Owner, string Meeting, bool Overdue);

    public async Task<IReadOnlyList<OpenAction>> RunAsync(IReadOnlyCollection<long>? owners, CancellationToken cancellationToken)
    {
        var today = RegencyOptions.Of(regency).Today(clock);
        var query = db.ActionItems.AsNoTracking().Where(a => a.Status == MeetingTerms.ActionOpen);
        if (owners is not null)
        {
            query = query.Where(a => owners.Contains(a.OwnerStakeholderId));
        }
        var rows = await query.Join(db.Stakeholders, a => a.OwnerStakeholderId, s => s.Id, (a, s) => new { a, s.Name })
            .Join(db.Meetings, x => x.a.MeetingId, m => m.Id, (x, m) => new { x.a, x.Name, m.Title })
            .OrderBy(x => x.a.DueOn).ToListAsync(cancellationToken);
        return [.. rows.Select(x => new OpenAction(x.a, x.Name, x.Title, x.a.DueOn < today))];
    }
}
