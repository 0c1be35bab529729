using Microsoft.EntityFrameworkCore;
using Tuntas.Collaboration;
using Tuntas.Data;
using Tuntas.Targeting;

namespace Tuntas.Testing;

/// <summary>Rows the P2KP tests need from other features: a targeting run with given deciles, a CSR partner's commitment.</summary>
public static class P2kpSeeds
{
    /// <summary>A targeting run as of <paramref name="asOf"/> whose results give each family its desil (null: not ranked).</summary>
    public static async Task<long> AddRunAsync(TuntasDb db, DateOnly asOf, string kodeDesa, IReadOnlyList<long> families, IReadOnlyList<int?> deciles)
    {
        var run = new TargetingRun
        {
            CreatedAt = DateTime.UtcNow,
            CreatedBy = "uji",
            AsOf = asOf,
            InputHash = "h",
            RegistryHash = "r",
            FamilyCount = families.Count,
            DecileModel = "pmt-uji",
            Inputs = "{}",
            Summary = "{}",
        };
        db.TargetingRuns.Add(run);
        await db.SaveChangesAsync();
        for (var i = 0; i < families.Count; i++)
        {
            var desil = deciles[i];
            await db.Database.ExecuteSqlAsync($"INSERT INTO targeting_results (run_id, family_id, kode_desa, desil, program_eligible, program_undetermined, data_hash) VALUES ({run.Id}, {families[i]}, {kodeDesa}, {desil}, '', '', 0)");
        }
        return run.Id;
    }

    /// <summary>PT Gula Manis's pledge of <paramref name="amount"/> against a need of <paramref name="desa"/>; returns the commitment and its need.</summary>
    public static async Task<(long Commitment, long Need)> CommitmentAsync(TuntasDb db, string desa, long amount, string status = CollaborationTerms.Pledged)
    {
        var now = DateTime.UtcNow;
        var stakeholder = await db.Stakeholders.FirstOrDefaultAsync()
            ?? db.Stakeholders.Add(new Stakeholder { Name = "PT Gula Manis", Helix = "bisnis", Resources = "dana", CreatedAt = now, UpdatedAt = now }).Entity;
        var need = new Need
        {
            KodeDesa = desa,
            Kind = "infrastruktur",
            Title = "Drainase RT 2",
            EstimatedCost = amount,
            Source = "musdes",
            Status = CollaborationTerms.NeedOpen,
            CreatedBy = "uji",
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Needs.Add(need);
        await db.SaveChangesAsync();
        var commitment = new Commitment { NeedId = need.Id, StakeholderId = stakeholder.Id, Kind = "uang", PledgedAmount = amount, Status = status, CreatedBy = "uji", CreatedAt = now, UpdatedAt = now };
        db.Commitments.Add(commitment);
        await db.SaveChangesAsync();
        return (commitment.Id, need.Id);
    }
}
