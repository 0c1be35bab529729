using Tuntas.Users;

namespace Tuntas.Collaboration.Meetings;

/// <summary>
/// Adds a follow-up (tindak lanjut) to a meeting: what, which stakeholder owns it, by when. The owner's current contact
/// is kept with it, so a handover moves the action to the successor (<see cref="HandOverContact"/>).
/// </summary>
public sealed class AddAction(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(long MeetingId, string? Text, long OwnerId, DateOnly? DueOn);

    public sealed record Outcome(ActionItem? Action, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var what = (input.Text ?? "").Trim();
        if (what.Length is < 5 or > 1000)
        {
            problems.Add(new("Text", "ACTION_LENGTH", "Tindak lanjut 5–1000 karakter.", "An action is 5–1000 characters."));
        }
        if (!await db.Stakeholders.AnyAsync(s => s.Id == input.OwnerId && s.Active, cancellationToken))
        {
            problems.Add(new("Owner", "OWNER_REQUIRED", "Pilih penanggung jawab (pemangku kepentingan aktif).", "Choose the owner (an active stakeholder)."));
        }
        if (input.DueOn is null)
        {
            problems.Add(new("DueOn", "DUE_REQUIRED", "Tenggat wajib diisi.", "The due date is required."));
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var contact = await db.StakeholderContacts.Where(c => c.StakeholderId == input.OwnerId && c.Until == null).Select(c => (long?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var action = new ActionItem
        {
            MeetingId = input.MeetingId,
            Text = what,
            OwnerStakeholderId = input.OwnerId,
            OwnerContactId = contact,
            DueOn = input.DueOn!.Value,
            Status = MeetingTerms.ActionOpen,
            UpdatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ActionItems.Add(action);
        await db.SaveChangesAsync(cancellationToken);
        return new(action, []);
    }
}
