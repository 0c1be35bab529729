using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Meetings;

/// <summary>Closes an open follow-up as done or cancelled, with a note on what was done or why not.</summary>
/// <param name="regency">Its time zone says what "today" is, the day the action was done: WIB's morning is still
/// yesterday in UTC.</param>
public sealed class CloseAction(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long ActionId, bool Done, string? Note);

    /// <summary>The problem, or null when the action was closed.</summary>
    public async Task<Problem?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var action = await db.ActionItems.SingleOrDefaultAsync(a => a.Id == input.ActionId, cancellationToken);
        if (action is null || action.Status != MeetingTerms.ActionOpen)
        {
            return new Problem("Status", "ACTION_CLOSED", "Tindak lanjut ini tidak ada atau sudah ditutup.", "This action does not exist or is closed.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        action.Status = input.Done ? MeetingTerms.ActionDone : MeetingTerms.ActionCancelled;
        action.DoneOn = RegencyOptions.Of(regency).Today(clock);
        action.Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        action.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
