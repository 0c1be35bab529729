namespace Tuntas.Targeting.Runs;

/// <summary>
/// Two runs side by side: for each program, the families that entered or left its eligible set, each with
/// the reasons the inputs give — the family's data changed, its decile moved, its criteria count moved, the rule or the
/// models changed version. The counts are complete; the lists are capped at <see cref="Input.MaxListed"/> per program.
/// </summary>
public sealed class CompareRuns(TuntasDatabase database)
{
    public sealed record Input(long Before, long After, int MaxListed = 1000);

    public sealed record Change(long FamilyId, string NoKk, string KodeDesa, string Direction, IReadOnlyList<string> Reasons);

    public sealed record ProgramChange(string Program, int EligibleBefore, int EligibleAfter, int Entered, int Left, IReadOnlyList<Change> Changes);

    public sealed record Outcome(long Before, long After, bool SameInputs, IReadOnlyList<string> InputChanges, IReadOnlyList<ProgramChange> Programs);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        TargetingRun before, after;
        await using (var db = database.CreateDb())
        {
            before = await FindRun.ByReferenceAsync(db, input.Before.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            after = await FindRun.ByReferenceAsync(db, input.After.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
        var inputsBefore = JsonSerializer.Deserialize<RunInputs>(before.Inputs, RunTargeting.Json)!;
        var inputsAfter = JsonSerializer.Deserialize<RunInputs>(after.Inputs, RunTargeting.Json)!;
        var inputChanges = new List<string>();
        foreach (var model in inputsAfter.Models)
        {
            var previous = inputsBefore.Models.FirstOrDefault(m => m.Kind == model.Kind);
            if (previous is null || previous.Code != model.Code || previous.Version != model.Version)
            {
                inputChanges.Add($"model {model.Kind}: {(previous is null ? "—" : $"{previous.Code} v{previous.Version}")} → {model.Code} v{model.Version}");
            }
        }
        var rulesBefore = inputsBefore.Rules.ToDictionary(r => r.Program, r => r.Version, StringComparer.Ordinal);
        var rulesAfter = inputsAfter.Rules.ToDictionary(r => r.Program, r => r.Version, StringComparer.Ordinal);
        foreach (var program in rulesBefore.Keys.Union(rulesAfter.Keys).Order(StringComparer.Ordinal))
        {
            var (a, b) = (rulesBefore.GetValueOrDefault(program), rulesAfter.GetValueOrDefault(program));
            if (a != b)
            {
                inputChanges.Add($"aturan / rule {program}: {(a == 0 ? "—" : "v" + a)} → {(b == 0 ? "—" : "v" + b)}");
            }
        }
        if (inputsBefore.AsOf != inputsAfter.AsOf)
        {
            inputChanges.Add($"tanggal acuan / reference date: {inputsBefore.AsOf:yyyy-MM-dd} → {inputsAfter.AsOf:yyyy-MM-dd}");
        }

        var old = new Dictionary<long, RunResults.Row>();
        await foreach (var row in RunResults.ReadAsync(database, before.Id, cancellationToken))
        {
            old[row.FamilyId] = row;
        }
        var programs = rulesBefore.Keys.Union(rulesAfter.Keys).Order(StringComparer.Ordinal).ToList();
        var tallies = programs.ToDictionary(p => p, _ => new int[4], StringComparer.Ordinal); // before, after, entered, left
        var lists = programs.ToDictionary(p => p, _ => new List<Change>(), StringComparer.Ordinal);
        await foreach (var now in RunResults.ReadAsync(database, after.Id, cancellationToken))
        {
            var was = old.GetValueOrDefault(now.FamilyId);
            old.Remove(now.FamilyId);
            var eligibleNow = now.ProgramEligible.Split('|', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var eligibleBefore = (was?.ProgramEligible ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            foreach (var program in programs)
            {
                var (b, a) = (eligibleBefore.Contains(program), eligibleNow.Contains(program));
                var tally = tallies[program];
                if (b) tally[0]++;
                if (a) tally[1]++;
                if (a == b) continue;
                tally[a ? 2 : 3]++;
                if (lists[program].Count < input.MaxListed)
                {
                    lists[program].Add(new Change(now.FamilyId, now.NoKk, now.KodeDesa, a ? "masuk" : "keluar", Reasons(was, now, program, rulesBefore, rulesAfter)));
                }
            }
        }
        // Families only in the earlier run cannot disappear from the registry (families are never deleted), but stay safe.
        foreach (var gone in old.Values)
        {
            foreach (var program in gone.ProgramEligible.Split('|', StringSplitOptions.RemoveEmptyEntries).Where(tallies.ContainsKey))
            {
                tallies[program][0]++;
                tallies[program][3]++;
            }
        }
        return new Outcome(before.Id, after.Id, before.InputHash == after.InputHash, inputChanges,
            [.. programs.Select(p => new ProgramChange(p, tallies[p][0], tallies[p][1], tallies[p][2], tallies[p][3], lists[p]))]);
    }

    private static List<string> Reasons(RunResults.Row? was, RunResults.Row now, string program,
        Dictionary<string, int> rulesBefore, Dictionary<string, int> rulesAfter)
    {
        var reasons = new List<string>();
        if (was is null)
        {
            reasons.Add("keluarga baru di data terpadu / new family");
            return reasons;
        }
        if (was.DataHash != now.DataHash) reasons.Add("data keluarga berubah / family data changed");
        if (was.Desil != now.Desil) reasons.Add($"desil {was.Desil?.ToString(CultureInfo.InvariantCulture) ?? "—"} → {now.Desil?.ToString(CultureInfo.InvariantCulture) ?? "—"}");
        if (was.KriteriaBps != now.KriteriaBps) reasons.Add($"kriteria BPS / BPS criteria {was.KriteriaBps?.ToString(CultureInfo.InvariantCulture) ?? "—"} → {now.KriteriaBps?.ToString(CultureInfo.InvariantCulture) ?? "—"}");
        if (was.MiskinBps != now.MiskinBps) reasons.Add($"miskin BPS / BPS poor {was.MiskinBps?.ToString(CultureInfo.InvariantCulture) ?? "—"} → {now.MiskinBps?.ToString(CultureInfo.InvariantCulture) ?? "—"}");
        if (rulesBefore.GetValueOrDefault(program) != rulesAfter.GetValueOrDefault(program))
        {
            reasons.Add($"aturan / rule {program} v{rulesBefore.GetValueOrDefault(program)} → v{rulesAfter.GetValueOrDefault(program)}");
        }
        if (was.ProgramEligible != now.ProgramEligible && reasons.Count == 0)
        {
            reasons.Add("kelayakan program lain berubah / eligibility for another program changed");
        }
        if (reasons.Count == 0) reasons.Add("umur anggota bertambah (tanggal acuan) / members aged (reference date)");
        return reasons;
    }
}
