using Microsoft.Extensions.Options;
using Tuntas.P2kp.Planning;
using Tuntas.Regions;

namespace Tuntas.P2kp.Works;

/// <summary>
/// Records a social grant of a BKM's UPS to a registry family of its desa: the date, the kind (<see cref="GrantTerms"/>),
/// an amount in rupiah or a description of what was given in kind (or both), and the source of the money
/// (<see cref="PlanTerms.Sources"/>). A family of another desa, or one without a living member, is refused
/// (<see cref="WorkFamilies.CheckAsync"/>). The grant shows on the family page under "what this family receives";
/// the page, the API and the CLI audit it. Nothing is written on any refusal.
/// </summary>
public sealed class GiveGrant(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long BkmId, long FamilyId, DateOnly GivenOn, string? Kind, long Amount, string? InKind, string? Source,
        string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(P2kpGrant? Grant, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var bkm = await db.Bkms.AsNoTracking().FirstOrDefaultAsync(b => b.Id == input.BkmId, cancellationToken);
        if (P2kpAccess.Refuses(bkm, r => r.KodeDesa, input.Role, input.Scope, out var refused))
        {
            return new(null, [refused]);
        }
        var problems = new List<Problem>();
        var kind = (input.Kind ?? "").Trim().ToUpperInvariant();
        if (!GrantTerms.Kinds.Any(k => k.Code == kind))
        {
            problems.Add(new("Kind", "INVALID_CODE", "Jenis bantuan: " + string.Join(", ", GrantTerms.Kinds.Select(k => k.Code)) + ".",
                "Kind of grant: " + string.Join(", ", GrantTerms.Kinds.Select(k => k.Code)) + "."));
        }
        var source = (input.Source ?? "").Trim().ToUpperInvariant();
        if (!PlanTerms.Sources.Contains(source))
        {
            problems.Add(new("Source", "INVALID_CODE", "Sumber dana: BLM_APBN, APBD, APBDES, SWADAYA atau CSR.", "Source: BLM_APBN, APBD, APBDES, SWADAYA or CSR."));
        }
        var inKind = input.InKind?.Trim() is { Length: > 0 } text ? text[..Math.Min(text.Length, 500)] : null;
        if (input.Amount < 0)
        {
            problems.Add(new("Amount", "OUT_OF_RANGE", "Jumlah tidak boleh negatif.", "The amount cannot be negative."));
        }
        else if (input.Amount == 0 && inKind is null)
        {
            problems.Add(new("Amount", "REQUIRED", "Isi jumlah uang atau uraian bantuan natura.", "Give the amount or describe the grant in kind."));
        }
        if (input.GivenOn.Year < 2000 || input.GivenOn > RegencyOptions.Of(regency).Today(clock))
        {
            problems.Add(new("GivenOn", "OUT_OF_RANGE", "Tanggal bantuan antara tahun 2000 dan hari ini.", "The grant's date lies between 2000 and today."));
        }
        problems.AddRange(await WorkFamilies.CheckAsync(db, [input.FamilyId], bkm.KodeDesa, "FamilyId", cancellationToken));
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var grant = new P2kpGrant
        {
            BkmId = bkm.Id,
            FamilyId = input.FamilyId,
            GivenOn = input.GivenOn,
            Kind = kind,
            Amount = input.Amount,
            InKind = inKind,
            Source = source,
            RecordedBy = input.Actor,
            RecordedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.P2kpGrants.Add(grant);
        await db.SaveChangesAsync(cancellationToken);
        return new(grant, []);
    }
}
