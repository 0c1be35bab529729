using Tuntas.Users;

namespace Tuntas.Collaboration.Meetings;

/// <summary>Records a decision a meeting took, in its words.</summary>
public sealed class RecordDecision(TuntasDb db)
{
    public sealed record Input(long MeetingId, string? Text);

    /// <summary>The problem with the text, or null when the decision was recorded.</summary>
    public async Task<Problem?> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var decision = (input.Text ?? "").Trim();
        if (decision.Length is < 5 or > 2000)
        {
            return new Problem("Decision", "DECISION_LENGTH", "Keputusan 5–2000 karakter.", "A decision is 5–2000 characters.");
        }
        db.MeetingDecisions.Add(new MeetingDecision { MeetingId = input.MeetingId, Text = decision });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
