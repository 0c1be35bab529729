using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tuntas.Audit;
using Tuntas.Linkage;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Web.Api;

/// <summary>
/// Suspected duplicate persons (docs/linkage.md): the queue, a reviewer's decision (<c>berbeda</c> / <c>sama</c> =
/// merge) and undoing a merge. Regency data roles only (<see cref="DuplicatesPolicy"/>); every list read is audited,
/// NIKs masked unless <c>full=true</c> by a role that verifies identities (audited as a NIK reveal).
/// </summary>
public static class DuplicatesApi
{
    public sealed record PairView(long PersonIdA, long PersonIdB, string NikA, string NikB, string NamaA, string NamaB, string KodeDesaA, string KodeDesaB,
        double Score, IReadOnlyDictionary<string, FindRegistryDuplicates.FieldAgreement> Fields);

    public sealed record ListView(IReadOnlyList<PairView> Pairs, int Persons, long Candidates, double MinScore, IReadOnlyList<FamilyPairView>? Families = null);

    /// <summary>Families that share suspected members (NO_KK masked unless revealed), most shared members first.</summary>
    public sealed record FamilyPairView(long FamilyIdA, long FamilyIdB, string NoKkA, string NoKkB, string KodeDesaA, string KodeDesaB, int SharedMembers, double Score,
        IReadOnlyList<long[]> Members);

    public sealed record DecisionRequest(long PersonIdA, long PersonIdB, string Decision, long? KeepPersonId, bool ConfirmConflicts, string? Note, double? Score);

    public sealed record DecisionView(string Decision, long? MergeId, IReadOnlyList<string> ChangedFields);

    public static RouteGroupBuilder MapDuplicatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/duplicates").RequireAuthorization(RegistryPermissions.ReviewDuplicates.Name).WithTags(ApiTexts.Both("Api.Tag.Duplicates"));
        api.MapGet("/", ListAsync)
            .ReadsPersonalData("duplikat", null, AuditActions.ViewDuplicates)
            .WithSummary("Suspected duplicate persons, best first")
            .WithDescription("minScore (0–1 with a decimal point, default 0.9; anything else, NaN or a decimal comma included, is a 400 under minScore), limit (default 200, at most 5000), full=true for whole NIKs (roles that verify identities; audited). Each pair lists how every field agrees.");
        api.MapPost("/decisions", DecideAsync)
            .WithSummary("Decide a pair: berbeda (never proposed again) or sama (merge into keepPersonId)")
            .WithDescription("Body {personIdA, personIdB, decision: berbeda|sama, keepPersonId?, confirmConflicts?, note?, score?}. A merge across families with conflicting data is refused with the conflicts until confirmConflicts is true.");
        api.MapPost("/merges/{id:long}/undo", UndoAsync)
            .WithSummary("Undo a merge")
            .WithDescription("Restores the merged person with its id, the kept person's fields and the enrollments; the pair is open for review again.");
        return api;
    }

    private static async Task<Results<Ok<ListView>, ValidationProblem>> ListAsync(ClaimsPrincipal user, HttpContext context, TuntasDatabase database, double? minScore,
        int? limit, bool? full, CancellationToken cancellationToken)
    {
        // A threshold outside 0–1 is a caller's mistake to be told, not replaced by the default: the list would look like
        // the answer to the question asked. The limit is clamped, as every list of the API is.
        // The framework reads a number with invariant culture, thousands separators allowed: a decimal comma written as
        // Indonesian writes it ("0,95") would bind as 95 and be refused, but "0,000" would bind as 0 and quietly list every
        // pair. A comma is refused whatever it binds to; the message asks for a decimal point.
        if (minScore is { } min && (!LinkageEngine.IsMinScore(min) || context.Request.Query["minScore"].ToString().Contains(',', StringComparison.Ordinal)))
        {
            return ApiProblems.Invalid("minScore", ApiTexts.Both("Api.Duplicates.MinScore"));
        }
        var shown = Math.Clamp(limit ?? 200, 1, 5000);
        var outcome = await new FindRegistryDuplicates(database).RunAsync(new(user.AccessScope(), minScore, shown), cancellationToken);
        var reveal = full == true && user.Has(RegistryPermissions.SeeFullIdentifiers);
        // Recorded by the audit middleware from the endpoint's mark, with what was shown.
        AuditDetail.Set(context, string.Create(CultureInfo.InvariantCulture, $"{outcome.Pairs.Count} pasangan{(reveal ? ", NIK lengkap" : "")}"));
        return TypedResults.Ok(new ListView([.. outcome.Pairs.Select(p => View(p, reveal))], outcome.Persons, outcome.Candidates, outcome.MinScore,
            [.. outcome.FamilyPairs.Take(shown).Select(f => View(f, reveal))]));
    }

    private static FamilyPairView View(FindRegistryDuplicates.FamilyPair pair, bool reveal)
    {
        var f = pair.Shown(reveal);
        return new(f.FamilyIdA, f.FamilyIdB, f.NoKkA, f.NoKkB, f.KodeDesaA, f.KodeDesaB, f.SharedMembers, f.Score, [.. f.Members.Select(m => new[] { m.PersonIdA, m.PersonIdB })]);
    }

    private static PairView View(FindRegistryDuplicates.Pair pair, bool reveal)
    {
        var p = pair.Shown(reveal);
        return new(p.PersonIdA, p.PersonIdB, p.NikA, p.NikB, p.NamaA, p.NamaB, p.KodeDesaA, p.KodeDesaB, p.Score, p.Fields);
    }

    private static async Task<Results<Ok<DecisionView>, ValidationProblem>> DecideAsync(DecisionRequest request, ClaimsPrincipal user, TuntasDb db, TimeProvider clock,
        IOptions<RegencyOptions> regency, CancellationToken cancellationToken)
    {
        if (request.Decision == DuplicateDecision.Different)
        {
            var outcome = await new MarkDifferentPersons(db, clock).RunAsync(new(request.PersonIdA, request.PersonIdB, user.UserName(), user.AccessScope(), request.Score, request.Note), cancellationToken);
            return outcome.Problem is { } problem ? ApiProblems.Refused(problem) : TypedResults.Ok(new DecisionView(DuplicateDecision.Different, null, []));
        }
        if (request.Decision != DuplicateDecision.Same)
        {
            return ApiProblems.Refused(ApiTexts.Problem("Api.Duplicates.Decision", "", "DUPLIKAT_KEPUTUSAN"));
        }
        var keep = request.KeepPersonId ?? request.PersonIdA;
        var remove = keep == request.PersonIdA ? request.PersonIdB : request.PersonIdA;
        if (keep != request.PersonIdA && keep != request.PersonIdB)
        {
            return ApiProblems.Refused(ApiTexts.Problem("Api.Duplicates.KeepOne", "", "MERGE_PILIHAN"));
        }
        var merged = await new MergePersons(db, clock, regency).RunAsync(new(keep, remove, user.UserName(), user.AccessScope(), request.ConfirmConflicts, request.Score, request.Note), cancellationToken);
        if (merged.Problem is { } refused)
        {
            return merged.Conflicts.Count > 0
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["conflicts"] = [.. merged.Conflicts] }, detail: $"{refused.Message} / {refused.MessageEn}", title: refused.Code)
                : ApiProblems.Refused(refused);
        }
        return TypedResults.Ok(new DecisionView(DuplicateDecision.Same, merged.Merge!.Id, merged.ChangedFields));
    }

    private static async Task<Results<Ok<DecisionView>, ValidationProblem>> UndoAsync(long id, ClaimsPrincipal user, TuntasDb db, TimeProvider clock,
        IOptions<RegencyOptions> regency, CancellationToken cancellationToken)
    {
        var outcome = await new MergePersons(db, clock, regency).UndoAsync(id, user.UserName(), user.AccessScope(), cancellationToken);
        return outcome.Problem is { } problem ? ApiProblems.Refused(problem) : TypedResults.Ok(new DecisionView("batal", id, outcome.ChangedFields));
    }

}
