using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.Data;
using Tuntas.Registry;
using Tuntas.Targeting;
using Tuntas.Targeting.Runs;
using Tuntas.Web.Security;

namespace Tuntas.Web.Api;

/// <summary>What the targeting pages and API share: run rows as views, stored JSON read back, and the ranked-list CSV.</summary>
public static class TargetingViews
{
    public sealed record RunView(long Id, DateTime CreatedAt, string CreatedBy, DateOnly AsOf, string InputHash, string RegistryHash,
        int FamilyCount, int PersonCount, string DecileModel, long DurationMs);

    public sealed record RunDetail(RunView Run, RunSummary Summary, RunInputs Inputs);

    public static RunView ToView(TargetingRun run) =>
        new(run.Id, run.CreatedAt, run.CreatedBy, run.AsOf, run.InputHash, run.RegistryHash, run.FamilyCount, run.PersonCount,
            run.DecileModel, run.DurationMs);

    public static RunDetail ToDetail(TargetingRun run) => new(ToView(run), Summary(run), Inputs(run));

    public static RunSummary Summary(TargetingRun run) => JsonSerializer.Deserialize<RunSummary>(run.Summary, RunTargeting.Json)!;

    public static RunInputs Inputs(TargetingRun run) => JsonSerializer.Deserialize<RunInputs>(run.Inputs, RunTargeting.Json)!;

    /// <summary>The run with this id, or null (never throws for an unknown id).</summary>
    public static Task<TargetingRun?> FindAsync(TuntasDb db, long id, CancellationToken cancellationToken) =>
        db.TargetingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>Newest first, without the (large) inputs and summary columns.</summary>
    public static async Task<IReadOnlyList<RunView>> RecentAsync(TuntasDb db, int take, CancellationToken cancellationToken) =>
        await db.TargetingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take)
            .Select(r => new RunView(r.Id, r.CreatedAt, r.CreatedBy, r.AsOf, r.InputHash, r.RegistryHash, r.FamilyCount, r.PersonCount, r.DecileModel, r.DurationMs))
            .ToListAsync(cancellationToken);

    /// <summary>NO_KK as this user may see it (masked unless the role verifies identities).</summary>
    public static string ShowNoKk(ClaimsPrincipal user, string noKk) => user.Has(RegistryPermissions.SeeFullIdentifiers) ? noKk : NoKk.Mask(noKk);

    public static string Message(TargetingIssue issue) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? issue.MessageEn : issue.Message;

    public const string RankedHeader = "KODE_DESA,PERINGKAT_DESA,NO_KK,DESIL,SKOR_PMT,SKOR_INDEKS,TERPILIH";

    /// <summary>The ranked list of a quota allocation, as the CLI writes it (<c>tuntas targeting quota --out</c>).</summary>
    public static async Task WriteRankedAsync(AllocateQuota.Outcome outcome, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(RankedHeader);
        foreach (var f in outcome.Families)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{f.KodeDesa},{f.RankInVillage},{f.NoKk},{f.Desil},{(f.SkorPmt is { } s ? Math.Round(s) : null)},{f.SkorIndeks},{(f.Selected ? 1 : 0)}").AsMemory(), cancellationToken);
        }
    }

    /// <summary>Headers for a CSV download that must not stay in a cache (full NO_KK inside).</summary>
    public static void CsvHeaders(HttpResponse response, string fileName)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
    }
}
