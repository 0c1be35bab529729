using Microsoft.AspNetCore.Http.HttpResults;
using Tuntas.Targeting;
using Tuntas.Targeting.Models;
using Tuntas.Targeting.Rules;
using Tuntas.Targeting.Runs;
using Tuntas.Web.Display;

namespace Tuntas.Web.Api;

/// <summary>
/// The targeting API: runs, their export, comparison, quota allocation and accuracy, eligibility rules and
/// scoring models. Signed-in users and API clients read; starting runs and saving rules or models needs
/// <see cref="TargetingPermissions.Manage.Name"/> (403 otherwise). A refused input (<see cref="TargetingException"/>) is a 400
/// ValidationProblem whose <c>issues</c> list every finding with its code, JSON path and message in both languages.
/// </summary>
public static class TargetingApi
{
    public static RouteGroupBuilder MapTargetingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/targeting").RequireAuthorization().WithTags(ApiTexts.Both("Api.Tag.Targeting"));

        api.MapGet("/runs", ListRunsAsync)
            .WithSummary("Targeting runs, newest first")
            .WithDescription("The last 100 runs: when, by whom, reference date, families, duration and the hash of their inputs.");
        api.MapPost("/runs", StartRunAsync)
            .RequireAuthorization(TargetingPermissions.Manage.Name)
            .WithSummary("Start a targeting run")
            .WithDescription("Body {asOf?: YYYY-MM-DD, decileModel?: regresi|skor|kriteria}. Runs synchronously over the whole registry and returns 201 with the run, its summary and inputs. Administrator and koordinator-tkpkd only.");
        api.MapGet("/runs/{id:long}", GetRunAsync)
            .WithSummary("A run with its summary and inputs")
            .WithDescription("Counts (BPS criteria, index classes, deciles, programs, official × computed desil) and everything the run used: model and rule versions, the fitted PMT.");
        api.MapGet("/runs/{id:long}/export", ExportAsync)
            .WithSummary("Per-family results as CSV")
            .WithDescription("NO_KK,KODE_DESA,SKOR_PMT,DESIL,KRITERIA_BPS,MISKIN_BPS,PROGRAM_ELIGIBLE,… (full NO_KK: regency-wide roles that verify identities only).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        api.MapGet("/runs/{id:long}/accuracy", AccuracyAsync)
            .WithSummary("Inclusion and exclusion error of each model")
            .WithDescription("quota = targeted share of families, more than 0 and less than 1 (anything else, NaN included, is a 400 under quota), by default the PMT model's quota; measured against known consumption per capita.");
        api.MapPost("/runs/{id:long}/quota", QuotaAsync)
            .WithSummary("Allocate a program quota across villages")
            .WithDescription("Body {program, quota, method: proporsional|peringkat}: per-village allocation and the ranked eligible families (NO_KK masked unless the role verifies identities).");
        api.MapGet("/compare", CompareAsync)
            .WithSummary("Compare two runs")
            .WithDescription("before, after = run ids. Input changes, and per program the families that entered or left, with reasons (first 1,000 per program).");
        api.MapGet("/rules", RulesAsync)
            .WithSummary("Current eligibility rules")
            .WithDescription("The latest active version of each program's rule, with its JSON definition.");
        api.MapPost("/rules", SaveRuleAsync)
            .RequireAuthorization(TargetingPermissions.Manage.Name)
            .WithSummary("Save a new version of a program's eligibility rule")
            .WithDescription("Body {program, name, definition (the condition as a JSON string)}. Refused with every issue (unknown field, type error, division by zero, cycle…).");
        api.MapPost("/rules/preview", PreviewRuleAsync)
            .WithSummary("Preview a rule")
            .WithDescription("Body {program?, definition}: the families and persons it would select, per kecamatan, with results of the latest run. Nothing is saved.");
        api.MapGet("/models", ModelsAsync)
            .WithSummary("Scoring models, every version")
            .WithDescription("Code, version, kind (kriteria, skor, regresi), name and JSON definition.");
        api.MapPost("/models", SaveModelAsync)
            .RequireAuthorization(TargetingPermissions.Manage.Name)
            .WithSummary("Save a new version of a scoring model")
            .WithDescription("Body {code, definition (JSON string)}. The kind of a code cannot change.");
        return api;
    }

    public sealed record StartRunRequest(DateOnly? AsOf, string? DecileModel);

    public sealed record QuotaRequest(string? Program, int Quota, string? Method);

    public sealed record RuleRequest(string? Program, string? Name, string? Definition);

    public sealed record PreviewRequest(string? Program, string? Definition);

    public sealed record ModelRequest(string? Code, string? Definition);

    public sealed record RuleView(string Program, int Version, string Name, string Definition, bool Active, string CreatedBy, DateTime CreatedAt);

    public sealed record ModelView(string Code, int Version, string Kind, string Name, string Definition, string CreatedBy, DateTime CreatedAt);

    private static async Task<Ok<IReadOnlyList<RunViews.RunView>>> ListRunsAsync(TuntasDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RunViews.RecentAsync(db, 100, cancellationToken));

    private static async Task<Results<Created<RunViews.RunDetail>, ValidationProblem>> StartRunAsync(
        StartRunRequest? request, ClaimsPrincipal user, RunTargeting runTargeting, CancellationToken cancellationToken)
    {
        var run = await runTargeting.RunAsync(new RunTargeting.Input(user.UserName(), request?.AsOf,
            string.IsNullOrWhiteSpace(request?.DecileModel) ? null : request.DecileModel.Trim()), cancellationToken);
        return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/targeting/runs/{run.Id}"), RunViews.ToDetail(run));
    }

    private static async Task<Results<Ok<RunViews.RunDetail>, NotFound>> GetRunAsync(long id, TuntasDb db, CancellationToken cancellationToken) =>
        await RunViews.FindAsync(db, id, cancellationToken) is { } run ? TypedResults.Ok(RunViews.ToDetail(run)) : TypedResults.NotFound();

    private static async Task<Results<PushStreamHttpResult, NotFound, ForbidHttpResult>> ExportAsync(
        long id, ClaimsPrincipal user, HttpContext context, TuntasDb db, ExportRun export, CancellationToken cancellationToken)
    {
        if (!user.CanExportTargeting())
        {
            return TypedResults.Forbid();
        }
        if (await RunViews.FindAsync(db, id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(stream => export.RunAsync(id, stream, cancellationToken), "text/csv; charset=utf-8",
            string.Create(CultureInfo.InvariantCulture, $"penargetan-{id}.csv"));
    }

    private static async Task<Results<Ok<MeasureAccuracy.Outcome>, NotFound, ValidationProblem>> AccuracyAsync(
        long id, [FromQuery] double? quota, TuntasDb db, MeasureAccuracy measure, CancellationToken cancellationToken)
    {
        if (quota is { } share && !MeasureAccuracy.IsQuota(share))
        {
            return ApiProblems.Invalid("quota", ApiTexts.Both("Api.Targeting.Quota"));
        }
        if (await RunViews.FindAsync(db, id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await measure.RunAsync(new MeasureAccuracy.Input(id, quota), cancellationToken));
    }

    private static async Task<Results<Ok<AllocateQuota.Outcome>, NotFound, ValidationProblem>> QuotaAsync(
        long id, QuotaRequest request, ClaimsPrincipal user, TuntasDb db, AllocateQuota allocate, CancellationToken cancellationToken)
    {
        if (await RunViews.FindAsync(db, id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var outcome = await allocate.RunAsync(new AllocateQuota.Input(id, request.Program ?? "", request.Quota,
            string.IsNullOrWhiteSpace(request.Method) ? AllocateQuota.Proportional : request.Method.Trim()), cancellationToken);
        return TypedResults.Ok(outcome with { Families = [.. outcome.Families.Select(f => f with { NoKk = Tuntas.Registry.NoKk.Mask(f.NoKk) })] });
    }

    private static async Task<Results<Ok<CompareRuns.Outcome>, NotFound, ValidationProblem>> CompareAsync(
        [FromQuery] long? before, [FromQuery] long? after, ClaimsPrincipal user, TuntasDb db, CompareRuns compare, CancellationToken cancellationToken)
    {
        if (before is null || after is null)
        {
            return ApiProblems.Invalid("before", ApiTexts.Both("Api.RunPair"));
        }
        if (await RunViews.FindAsync(db, before.Value, cancellationToken) is null || await RunViews.FindAsync(db, after.Value, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }
        var outcome = await compare.RunAsync(new CompareRuns.Input(before.Value, after.Value), cancellationToken);
        return TypedResults.Ok(outcome with
        {
            Programs = [.. outcome.Programs.Select(p => p with { Changes = [.. p.Changes.Select(c => c with { NoKk = Tuntas.Registry.NoKk.Mask(c.NoKk) })] })],
        });
    }

    private static async Task<Results<Ok<IReadOnlyList<RuleView>>, ValidationProblem>> RulesAsync(TuntasDb db, CancellationToken cancellationToken)
    {
        var rules = await CurrentRules.LoadAsync(db, cancellationToken);
        IReadOnlyList<RuleView> views = [.. rules.Values.Select(r => ToView(r.Row))];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<RuleView>, ValidationProblem>> SaveRuleAsync(
        RuleRequest request, ClaimsPrincipal user, SaveEligibilityRule save, CancellationToken cancellationToken)
    {
        var program = request.Program ?? "";
        var outcome = await save.RunAsync(new SaveEligibilityRule.Input(program, string.IsNullOrWhiteSpace(request.Name) ? program : request.Name,
            request.Definition ?? "", user.UserName()), cancellationToken);
        if (outcome.Saved is not { } rule)
        {
            return ApiProblems.Refused(outcome.Issues);
        }
        return TypedResults.Created("/api/targeting/rules", ToView(rule));
    }

    private static async Task<Results<Ok<PreviewRule.Outcome>, ValidationProblem>> PreviewRuleAsync(
        PreviewRequest request, PreviewRule preview, CancellationToken cancellationToken)
    {
        var outcome = await preview.RunAsync(new PreviewRule.Input(request.Program, request.Definition ?? ""), cancellationToken);
        return outcome.Issues.Count > 0 ? ApiProblems.Refused(outcome.Issues) : TypedResults.Ok(outcome);
    }

    private static async Task<Ok<IReadOnlyList<ModelView>>> ModelsAsync(TuntasDb db, CancellationToken cancellationToken)
    {
        var models = await db.TargetingModels.AsNoTracking().OrderBy(m => m.Code).ThenBy(m => m.Version).ToListAsync(cancellationToken);
        IReadOnlyList<ModelView> views = [.. models.Select(ToView)];
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Created<ModelView>, ValidationProblem>> SaveModelAsync(
        ModelRequest request, ClaimsPrincipal user, SaveTargetingModel save, CancellationToken cancellationToken)
    {
        var outcome = await save.RunAsync(new SaveTargetingModel.Input(request.Code ?? "", request.Definition ?? "", user.UserName()), cancellationToken);
        if (outcome.Saved is not { } model)
        {
            return ApiProblems.Refused(outcome.Issues);
        }
        return TypedResults.Created("/api/targeting/models", ToView(model));
    }

    public static RuleView ToView(EligibilityRule r) => new(r.ProgramCode, r.Version, r.Name, r.Definition, r.Active, r.CreatedBy, r.CreatedAt);

    public static ModelView ToView(TargetingModel m) => new(m.Code, m.Version, m.Kind, m.Name, m.Definition, m.CreatedBy, m.CreatedAt);
}
