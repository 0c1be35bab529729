using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Ranking;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Web.Collaboration;

namespace Tuntas.Web.Api;

/// <summary>
/// Villages as poverty labs through the API: every village's status, the regency's thresholds, one
/// village's history and targets, its one-page profile (aggregates), and the community welfare ranking against the
/// PMT — the same use cases and rules as /Kolaborasi/Lab: the secretariat sets thresholds; the village's operator,
/// its facilitators or the secretariat set targets and record rankings; ranking names only inside the caller's scope,
/// never for partners.
/// </summary>
public static class VillageLabApi
{
    public sealed record ThresholdsRequest(string? Indicator, double Merah, double Kuning, double Hijau);

    public sealed record TargetRequest(long? Baseline, long? Target, int? ByYear, string? Note);

    public sealed record RankingRequest(string? Session, string? Lines);

    public sealed record VillageDetail(VillageLab.VillageStatus? Status, IReadOnlyList<VillageStatusChange> History, IReadOnlyList<VillageTarget> Targets);

    public sealed record RankingRecorded(int Recorded, CommunityRanking.Outcome Comparison);

    public static RouteGroupBuilder MapVillageLabApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/village-lab").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.VillageLabs"));
        api.MapGet("/", async (VillageLab lab, IConfiguration configuration, CancellationToken ct) => TypedResults.Ok(await lab.RefreshAsync(configuration.Regency(), ct)))
            .WithSummary("Every village's status").WithDescription("merah / kuning / hijau / tuntas from the regency's thresholds, with share, poor families, since when and whether it ever graduated out of merah.");
        api.MapGet("/thresholds", async (VillageLab lab, CancellationToken ct) => TypedResults.Ok(await lab.ThresholdsAsync(ct)))
            .WithSummary("The regency's status thresholds").WithDescription("Indicator (miskin_bps or desil_1_4) and the lowest share (%) of poor families for merah, kuning and hijau.");
        api.MapPut("/thresholds", SetThresholdsAsync)
            .WithSummary("Set the status thresholds (TKPKD secretariat)").WithDescription("Body {indicator, merah, kuning, hijau}; merah > kuning > hijau ≥ 0.");
        api.MapGet("/{code}", DetailAsync)
            .WithSummary("One village: status, history, targets").WithDescription("code: the village's Kemendagri code, dotted or not.");
        api.MapPost("/{code}/targets", SetTargetAsync)
            .WithSummary("Set a target for the village").WithDescription("Body {baseline, target, byYear, note}: poor families from baseline to target by the year. The village's operator or facilitator, or the secretariat.");
        api.MapGet("/{code}/profile", ProfileAsync)
            .WithSummary("The one-page village profile").WithDescription("Aggregates only: indicators, programs, status, target, open needs and gap, partners, meetings and actions, ranking agreement. Within the caller's aggregate scope.");
        api.MapGet("/{code}/ranking", RankingAsync)
            .ReadsPersonalData("peringkat-desa", "code")
            .WithSummary("Community welfare ranking against the PMT").WithDescription("Ranked families, Spearman correlation and the families the two rank far apart, by name. Not for partners; within the caller's scope.");
        api.MapPost("/{code}/ranking", RecordRankingAsync)
            .WithSummary("Record a session's community ranking").WithDescription("Body {session, lines: \"NO_KK;KELAS\" one per line, KELAS 1 (sangat miskin) … 4 (mampu)}. Checked whole first; nothing is written when a line is wrong.");
        return api;
    }

    private static async Task<Results<Ok<VillageStatusThresholds>, ValidationProblem, ForbidHttpResult>> SetThresholdsAsync(ThresholdsRequest request, ClaimsPrincipal user,
        VillageLab lab, HttpContext context, CancellationToken cancellationToken)
    {
        if (!user.Has(CollaborationPermissions.ManageStakeholders))
        {
            return TypedResults.Forbid();
        }
        if (await lab.SetThresholdsAsync(request.Indicator, request.Merah, request.Kuning, request.Hijau, user.UserName(), cancellationToken) is { } problem)
        {
            return ApiProblems.Refused([problem]);
        }
        AuditDetail.Set(context, $"ambang status desa: {request.Indicator} merah ≥ {request.Merah}, kuning ≥ {request.Kuning}, hijau ≥ {request.Hijau}");
        return TypedResults.Ok(await lab.ThresholdsAsync(cancellationToken));
    }

    private static async Task<Results<Ok<VillageDetail>, NotFound>> DetailAsync(string code, TuntasDb db, VillageLab lab, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        if (await VillageAsync(db, code, cancellationToken) is not { } village)
        {
            return TypedResults.NotFound();
        }
        var status = (await lab.RefreshAsync(configuration.Regency(), cancellationToken)).FirstOrDefault(s => s.KodeDesa == village);
        var history = await db.VillageStatusHistory.AsNoTracking().Where(h => h.KodeDesa == village).OrderByDescending(h => h.Id).ToListAsync(cancellationToken);
        var targets = await db.VillageTargets.AsNoTracking().Where(t => t.KodeDesa == village).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new VillageDetail(status, history, targets));
    }

    private static async Task<Results<Ok<VillageTarget>, ValidationProblem, ForbidHttpResult, NotFound>> SetTargetAsync(string code, TargetRequest request,
        ClaimsPrincipal user, TuntasDb db, VillageLab lab, HttpContext context, CancellationToken cancellationToken)
    {
        if (await VillageAsync(db, code, cancellationToken) is not { } village)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayRecordNeedIn(village))
        {
            return TypedResults.Forbid();
        }
        var (target, problem) = await lab.SetTargetAsync(village, request.Baseline, request.Target, request.ByYear, request.Note, user.UserName(), cancellationToken);
        if (target is null)
        {
            return ApiProblems.Refused(problem is null ? [] : [problem]);
        }
        AuditDetail.Set(context, $"sasaran desa {village}: {request.Baseline} → {request.Target} keluarga miskin pada {request.ByYear}");
        return TypedResults.Ok(target);
    }

    private static async Task<Results<Ok<VillageProfile.Outcome>, NotFound>> ProfileAsync(string code, ClaimsPrincipal user, VillageProfile profile,
        IConfiguration configuration, CancellationToken cancellationToken) =>
        await profile.RunAsync(new VillageProfile.Input(code, configuration.Regency(), user.AccessScope()), cancellationToken) is { } outcome
            ? TypedResults.Ok(outcome)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<CommunityRanking.Outcome>, NotFound>> RankingAsync(string code, ClaimsPrincipal user, TuntasDb db, CommunityRanking ranking,
        CancellationToken cancellationToken) =>
        await RankedVillageAsync(code, user, db, cancellationToken) is { } village
            ? TypedResults.Ok(await ranking.CompareAsync(village, cancellationToken))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<RankingRecorded>, ValidationProblem, ForbidHttpResult, NotFound>> RecordRankingAsync(string code, RankingRequest request,
        ClaimsPrincipal user, TuntasDb db, CommunityRanking ranking, HttpContext context, CancellationToken cancellationToken)
    {
        if (await RankedVillageAsync(code, user, db, cancellationToken) is not { } village)
        {
            return TypedResults.NotFound();
        }
        if (!user.MayRecordNeedIn(village))
        {
            return TypedResults.Forbid();
        }
        var (recorded, problems) = await ranking.RecordAsync(village, request.Session, request.Lines, user.UserName(), cancellationToken);
        if (problems.Count > 0)
        {
            return ApiProblems.Refused(problems);
        }
        AuditDetail.Set(context, $"peringkat kesejahteraan {village} ({request.Session}): {recorded} keluarga");
        return TypedResults.Ok(new RankingRecorded(recorded, await ranking.CompareAsync(village, cancellationToken)));
    }

    /// <summary>The dotted code of a village that exists; null otherwise.</summary>
    private static async Task<string?> VillageAsync(TuntasDb db, string code, CancellationToken cancellationToken)
    {
        var dotted = Regions.RegionCode.ToDotted(code);
        return dotted is { Length: 13 } && await db.Regions.AsNoTracking().AnyAsync(r => r.Code == dotted && r.Level == Regions.Region.Village, cancellationToken)
            ? dotted
            : null;
    }

    /// <summary>The ranking names families: a village the caller sees by name, never for partners (as the page).</summary>
    private static async Task<string?> RankedVillageAsync(string code, ClaimsPrincipal user, TuntasDb db, CancellationToken cancellationToken) =>
        !user.Has(RegistryPermissions.SeeVillageByName) || await VillageAsync(db, code, cancellationToken) is not { } village || !user.AccessScope().CoversVillage(village) ? null : village;
}
