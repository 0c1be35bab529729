using Microsoft.Extensions.Options;
using Tuntas.Collaboration.Meetings;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Stakeholders;

/// <summary>
/// Hands a stakeholder's responsibilities to a new contact person (the seeds' "weak handover when staff
/// change"): the current contact's period ends today with a handover note, the new one starts, and every open
/// commitment and meeting action the old contact was responsible for moves to the new one, with a record — in one
/// transaction. <see cref="Outcome.CommitmentsMoved"/> counts both.
/// </summary>
/// <param name="regency">Its time zone says what "today" is, the day one contact ends and the next starts: WIB's
/// morning is still yesterday in UTC.</param>
public sealed class HandOverContact(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long StakeholderId, string? Name, string? Position, string? Phone, string? Email, string? Note, string Actor);

    public sealed record Outcome(bool Found, StakeholderContact? Contact, int CommitmentsMoved, Problem? Problem);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (!await db.Stakeholders.AnyAsync(s => s.Id == input.StakeholderId, cancellationToken))
        {
            return new Outcome(false, null, 0, null);
        }
        var name = (input.Name ?? "").Trim();
        if (name.Length is < 2 or > 100)
        {
            return new Outcome(true, null, 0, new Problem("Name", "NAME_REQUIRED", "Nama narahubung baru wajib diisi.", "The new contact's name is required."));
        }
        if ((input.Note ?? "").Trim().Length < 5)
        {
            return new Outcome(true, null, 0, new Problem("Note", "HANDOVER_NOTE", "Tuliskan catatan serah terima: apa yang sedang berjalan dan apa yang harus dilanjutkan.",
                "Write a handover note: what is under way and what must be continued."));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var today = RegencyOptions.Of(regency).Today(clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.StakeholderContacts.Where(c => c.StakeholderId == input.StakeholderId && c.Until == null).ToListAsync(cancellationToken);
        foreach (var contact in current)
        {
            contact.Until = today;
            contact.HandoverNote = input.Note!.Trim();
        }
        var next = new StakeholderContact
        {
            StakeholderId = input.StakeholderId,
            Name = name,
            Position = input.Position?.Trim(),
            Phone = input.Phone?.Trim(),
            Email = input.Email?.Trim(),
            From = today,
        };
        db.StakeholderContacts.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        var oldIds = current.Select(c => c.Id).ToList();
        var open = await db.Commitments.Where(c => c.StakeholderId == input.StakeholderId
            && (c.ContactId == null || oldIds.Contains(c.ContactId.Value))
            && (c.Status == CollaborationTerms.Pledged || c.Status == CollaborationTerms.InProgress)).ToListAsync(cancellationToken);
        foreach (var commitment in open)
        {
            commitment.ContactId = next.Id;
            commitment.UpdatedAt = now;
            db.CommitmentEvents.Add(new CommitmentEvent
            {
                CommitmentId = commitment.Id,
                At = now,
                Actor = input.Actor,
                StatusFrom = commitment.Status,
                StatusTo = commitment.Status,
                Note = $"Serah terima ke {name}: {input.Note!.Trim()}",
            });
        }
        // Open follow-ups of meetings move with the responsibility too ("open actions … move with a record").
        var actions = await db.ActionItems.Where(a => a.OwnerStakeholderId == input.StakeholderId && a.Status == MeetingTerms.ActionOpen
            && (a.OwnerContactId == null || oldIds.Contains(a.OwnerContactId.Value))).ToListAsync(cancellationToken);
        foreach (var action in actions)
        {
            action.OwnerContactId = next.Id;
            action.Note = $"Dialihkan ke {name} ({today:yyyy-MM-dd}) saat serah terima.";
            action.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(true, next, open.Count + actions.Count, null);
    }
}
