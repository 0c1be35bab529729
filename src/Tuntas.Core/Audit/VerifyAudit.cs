namespace Tuntas.Audit;

/// <summary>
/// Recomputes the audit chain from the first entry with the <see cref="AuditKey"/>: an entry whose fields no longer give
/// its MAC was edited (or rebuilt without the key); an entry whose predecessor hash or id does not follow the one before
/// it means entries were deleted or inserted; an unkeyed entry after a keyed one means the chain was rewritten in the
/// old form. Then every signed checkpoint — those in the database and those in the checkpoint file outside it — must
/// carry a valid signature and name an entry that still has that hash: a chain cut back below its last checkpoint, or
/// recomputed, fails. The head (last id and hash) is reported so it can also be written down elsewhere and checked
/// later with <see cref="Input.ExpectedHead"/>.
/// </summary>
public sealed class VerifyAudit(TuntasDb db, AuditKey key, string? checkpointFile = null)
{
    public sealed record Input(string? ExpectedHead = null);

    public sealed record Problem(long Id, string Kind, string Message, string MessageEn);

    public sealed record Outcome(long Entries, long? HeadId, string? HeadHash, IReadOnlyList<Problem> Problems, int Checkpoints = 0)
    {
        public bool Intact => Problems.Count == 0;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var previousHash = AuditEntry.Genesis;
        long previousId = 0, count = 0;
        var seenKeyed = false;
        var hashes = new Dictionary<long, string>();
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        checkpoints.AddRange(WriteCheckpoint.ReadFile(checkpointFile));
        checkpoints = [.. checkpoints.DistinctBy(c => (c.EntryId, c.EntryHash, c.Signature)).OrderBy(c => c.EntryId)];
        // Entries of the unkeyed era are trusted only as far as a signed checkpoint covers them (the web app takes one at
        // start-up): otherwise a chain rebuilt in the old, keyless form would verify.
        var signedUpTo = checkpoints.Where(c => c.KeyId == key.KeyId && key.SignCheckpoint(c.Canonical()) == c.Signature)
            .Select(c => c.EntryId).DefaultIfEmpty(0).Max();
        await foreach (var entry in db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (entry.Id != previousId + 1 || entry.PrevHash != previousHash)
            {
                problems.Add(new(entry.Id, "hilang",
                    $"Entri sebelum #{entry.Id} hilang atau disisipkan (rantai putus setelah #{previousId}).",
                    $"Entries before #{entry.Id} were deleted or inserted (the chain breaks after #{previousId})."));
            }
            if (entry.KeyId is null && (seenKeyed || entry.Id > signedUpTo))
            {
                problems.Add(new(entry.Id, "tanpa-kunci", $"Entri #{entry.Id} tanpa kunci dan tidak tercakup titik periksa bertanda tangan: rantai ditulis ulang.",
                    $"Entry #{entry.Id} is unkeyed and not covered by a signed checkpoint: the chain was rewritten."));
            }
            else if (entry.KeyId is not null && entry.KeyId != key.KeyId)
            {
                problems.Add(new(entry.Id, "kunci-lain", $"Entri #{entry.Id} ditandai kunci {entry.KeyId} yang bukan kunci audit ini.",
                    $"Entry #{entry.Id} names key {entry.KeyId}, which is not this installation's audit key."));
            }
            else if (entry.ComputeHash(key) != entry.Hash)
            {
                problems.Add(new(entry.Id, "diubah", $"Entri #{entry.Id} telah diubah.", $"Entry #{entry.Id} was edited."));
            }
            seenKeyed |= entry.KeyId is not null;
            previousId = entry.Id;
            previousHash = entry.Hash;
            hashes[entry.Id] = entry.Hash;
        }
        if (input.ExpectedHead is { Length: > 0 } expected && !hashes.ContainsValue(expected.Trim().ToLowerInvariant()))
        {
            problems.Add(new(previousId, "terpotong",
                "Kepala rantai yang dicatat tidak ada lagi: entri terbaru telah dihapus atau rantai diganti.",
                "The recorded chain head is gone: the newest entries were deleted or the chain was replaced."));
        }
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.KeyId != key.KeyId || key.SignCheckpoint(checkpoint.Canonical()) != checkpoint.Signature)
            {
                problems.Add(new(checkpoint.EntryId, "titik-palsu",
                    $"Titik periksa untuk entri #{checkpoint.EntryId} tidak bertanda tangan sah.",
                    $"The checkpoint of entry #{checkpoint.EntryId} has no valid signature."));
            }
            else if (!hashes.TryGetValue(checkpoint.EntryId, out var hash))
            {
                problems.Add(new(checkpoint.EntryId, "terpotong",
                    $"Entri #{checkpoint.EntryId} yang tercatat di titik periksa {checkpoint.At:yyyy-MM-dd HH:mm} UTC tidak ada lagi: jejak dipotong.",
                    $"Entry #{checkpoint.EntryId}, recorded by the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC, is gone: the trail was truncated."));
            }
            else if (hash != checkpoint.EntryHash)
            {
                problems.Add(new(checkpoint.EntryId, "diganti",
                    $"Entri #{checkpoint.EntryId} tidak sama dengan titik periksa {checkpoint.At:yyyy-MM-dd HH:mm} UTC: rantai dihitung ulang.",
                    $"Entry #{checkpoint.EntryId} differs from the checkpoint of {checkpoint.At:yyyy-MM-dd HH:mm} UTC: the chain was recomputed."));
            }
        }
        return new Outcome(count, count == 0 ? null : previousId, count == 0 ? null : previousHash, problems, checkpoints.Count);
    }
}
