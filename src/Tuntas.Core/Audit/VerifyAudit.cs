using Microsoft.EntityFrameworkCore;
using Tuntas.Data;

namespace Tuntas.Audit;

/// <summary>
/// Recomputes the audit chain from the first entry: an entry whose fields no longer give its hash was edited; an entry
/// whose predecessor hash or id does not follow the one before it means entries were deleted (or inserted). The head
/// (last id and hash) is reported so it can be written down elsewhere — minutes, a letter — and checked later with
/// <see cref="Input.ExpectedHead"/>: that also catches the one thing a chain alone cannot, the removal of its newest entries.
/// </summary>
public sealed class VerifyAudit(TuntasDb db)
{
    public sealed record Input(string? ExpectedHead = null);

    public sealed record Problem(long Id, string Kind, string Message, string MessageEn);

    public sealed record Outcome(long Entries, long? HeadId, string? HeadHash, IReadOnlyList<Problem> Problems)
    {
        public bool Intact => Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var previousHash = AuditEntry.Genesis;
        long previousId = 0, count = 0;
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (entry.Id != previousId + 1 || entry.PrevHash != previousHash)
            {
                problems.Add(new(entry.Id, "hilang",
                    $"Entri sebelum #{entry.Id} hilang atau disisipkan (rantai putus setelah #{previousId}).",
                    $"Entries before #{entry.Id} were deleted or inserted (the chain breaks after #{previousId})."));
            }
            if (entry.ComputeHash() != entry.Hash)
            {
                problems.Add(new(entry.Id, "diubah", $"Entri #{entry.Id} telah diubah.", $"Entry #{entry.Id} was edited."));
            }
            previousId = entry.Id;
            previousHash = entry.Hash;
            heads[entry.Hash] = entry.Id;
        }
        if (input.ExpectedHead is { Length: > 0 } expected && !heads.ContainsKey(expected.Trim().ToLowerInvariant()))
        {
            problems.Add(new(previousId, "terpotong",
                "Kepala rantai yang dicatat tidak ada lagi: entri terbaru telah dihapus atau rantai diganti.",
                "The recorded chain head is gone: the newest entries were deleted or the chain was replaced."));
        }
        return new Outcome(count, count == 0 ? null : previousId, count == 0 ? null : previousHash, problems);
    }
}
