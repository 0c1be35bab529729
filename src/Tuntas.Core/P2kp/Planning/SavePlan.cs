namespace Tuntas.P2kp.Planning;

/// <summary>
/// Registers a BKM's plan: a PJM Pronangkis covers three years from its first, a Renta one year that must lie within
/// one of the BKM's PJM (the Renta is the PJM's yearly part). One plan per BKM, kind and first year.
/// </summary>
public sealed class SavePlan(TuntasDb db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions>? regency = null)
{
    public sealed record Input(long BkmId, string? Kind, int Year, string? Title, string Actor, string Role, AccessScope Scope);

    public sealed record Outcome(P2kpPlan? Plan, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var bkm = await db.Bkms.AsNoTracking().FirstOrDefaultAsync(b => b.Id == input.BkmId, cancellationToken);
        if (P2kpAccess.Refuses(bkm, r => r.KodeDesa, input.Role, input.Scope, out var refused))
        {
            return new(null, [refused]);
        }
        var problems = new List<Problem>();
        var kind = (input.Kind ?? "").Trim().ToUpperInvariant();
        if (!PlanTerms.Kinds.Contains(kind))
        {
            problems.Add(new("Kind", "INVALID_CODE", "Jenis rencana: PJM atau RENTA.", "Plan kind: PJM or RENTA."));
        }
        var thisYear = Regions.RegencyOptions.Of(regency).Today(clock).Year;
        if (input.Year < 2000 || input.Year > thisYear + 5)
        {
            problems.Add(new("Year", "OUT_OF_RANGE", string.Create(CultureInfo.InvariantCulture, $"Tahun 2000–{thisYear + 5}."),
                string.Create(CultureInfo.InvariantCulture, $"Year 2000–{thisYear + 5}.")));
        }
        var title = (input.Title ?? "").Trim();
        if (title.Length is < 3 or > 200)
        {
            problems.Add(new("Title", "REQUIRED", "Judul rencana 3–200 karakter.", "Plan title of 3–200 characters."));
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var plans = await db.P2kpPlans.AsNoTracking().Where(p => p.BkmId == bkm.Id).ToListAsync(cancellationToken);
        if (plans.Any(p => p.Kind == kind && p.YearFrom == input.Year))
        {
            return new(null, [new("Year", "DUPLICATE", "BKM ini sudah punya rencana jenis ini untuk tahun itu.", "This BKM already has a plan of this kind for that year.")]);
        }
        if (kind == PlanTerms.Renta && !plans.Any(p => p.Kind == PlanTerms.Pjm && p.YearFrom <= input.Year && input.Year <= p.YearTo))
        {
            return new(null, [new("Year", "RENTA_OUTSIDE_PJM", "Renta harus berada dalam tahun PJM Pronangkis BKM ini; susun PJM-nya dahulu.",
                "A Renta must lie within the years of one of this BKM's PJM Pronangkis; draw up the PJM first.")]);
        }
        var plan = new P2kpPlan
        {
            BkmId = bkm.Id,
            Kind = kind,
            YearFrom = input.Year,
            YearTo = kind == PlanTerms.Pjm ? input.Year + PlanTerms.PjmYears - 1 : input.Year,
            Title = title,
            CreatedBy = input.Actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.P2kpPlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return new(plan, []);
    }
}
