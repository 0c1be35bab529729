using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Verivali;

/// <summary>
/// A family the villagers propose (usulan baru, DOMAIN §2.1: new families enter DTSEN through the village's musdes),
/// entered by the village operator or a facilitator in the back office or the API, or sent from the field
/// (<c>FieldCollection/ReceiveSubmission</c>, form <c>tuntas-keluarga-baru</c>): its village, NO_KK, the family fields a
/// visit observes and its members, every value checked with the import's rules and codes. It becomes a visited line of
/// the open period (outcome usulan-baru) for the operator's review and the musdes; nothing is written to the registry —
/// an agreed proposal goes to the regency's proposal for the ministry (<see cref="ExportProposal"/>).
/// </summary>
public sealed class ProposeNewFamily(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>What a proposed family carries: its village, NO_KK, then the family fields a visitor can observe (not the
    /// coordinates — the GPS point gives them — nor the decile or consumption, which come from BPS and DTSEN).</summary>
    public static readonly IReadOnlyList<RegistryFields.Rule> FamilyRules =
        [RegistryFields.FamilyRule("KODE_DESA")!, RegistryFields.FamilyRule("NO_KK")!,
            .. RegistryFields.FamilyRules.Where(r => RegistryFields.IsEditableFamilyField(r.Column)
                && r.Column is not ("LINTANG" or "BUJUR" or "DESIL_NASIONAL" or "PENGELUARAN_PERKAPITA"))];

    /// <summary>A proposed family's members: every person field but the file-only instructions (PINDAH, STATUS_DASAR).</summary>
    public static readonly IReadOnlyList<RegistryFields.Rule> PersonRules =
        [.. RegistryFields.PersonRules.Where(r => RegistryFields.IsEditablePersonField(r.Column))];

    /// <param name="Family">Values by import column (KODE_DESA, NO_KK, ALAMAT, …), as typed.</param>
    /// <param name="Members">One dictionary per member, values by import column (NIK, NAMA, HUBUNGAN_KK, …).</param>
    /// <param name="AssignTo">Who the line is assigned to (the proposer when null).</param>
    public sealed record Input(IReadOnlyDictionary<string, string?> Family, IReadOnlyList<IReadOnlyDictionary<string, string?>> Members, string? Note,
        AccessScope Scope, string Role, string Actor, string? AssignTo = null);

    /// <summary>The line (not yet saved by <see cref="PrepareAsync"/>, saved by <see cref="RunAsync"/>) or every problem found.</summary>
    public sealed record Outcome(VerivaliLine? Line, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var outcome = await PrepareAsync(input, cancellationToken);
        if (outcome.Line is { } line)
        {
            db.VerivaliLines.Add(line);
            await db.SaveChangesAsync(cancellationToken);
        }
        return outcome;
    }

    /// <summary>Checks everything and builds the line without saving it (the field submission saves it in its own transaction).</summary>
    public async Task<Outcome> PrepareAsync(Input input, CancellationToken cancellationToken)
    {
        var kodeDesa = Regions.RegionCode.ToDotted(Value(input.Family, "KODE_DESA") ?? "") ?? "";
        // A relawan proposes only through the field forms, where their assigned lines decide (FieldMedia.MayProposeInAsync).
        if (input.Role != Roles.Relawan && kodeDesa.Length > 0 && !input.Scope.CoversVillage(kodeDesa))
        {
            return new Outcome(null, [VerivaliProblems.Of("DESA_OUTSIDE") with { Field = "KODE_DESA" }]);
        }
        var today = RegencyOptions.Of(regency).Today(clock);
        var villages = await db.Regions.AsNoTracking().Where(r => r.Code == kodeDesa).Select(r => r.Code).ToListAsync(cancellationToken);
        var context = new RegistryFields.Context { Today = today, VillageExists = villages.Contains };
        var problems = new List<Problem>();
        var family = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var rule in FamilyRules)
        {
            var value = Value(input.Family, rule.Column);
            var parsed = RegistryFields.Parse(rule, value, context);
            if (parsed.Error is { } error)
            {
                problems.Add(RegistryProblem.Of(null, rule.Column, rule.Kind == RegistryFields.Kind.NoKk ? null : value, error, parsed.Arg).AsProblem());
            }
            else if (RegistryColumns.Canonical(parsed.Value) is { } canonical)
            {
                family[rule.Column] = canonical;
            }
        }
        var members = new List<Dictionary<string, string?>>();
        var heads = 0;
        foreach (var (member, index) in input.Members.Select((m, i) => (m, i + 1)))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var rule in PersonRules)
            {
                var value = Value(member, rule.Column);
                var parsed = RegistryFields.Parse(rule, value, context);
                if (parsed.Error is { } error)
                {
                    var problem = RegistryProblem.Of(null, rule.Column, rule.Kind == RegistryFields.Kind.Nik ? null : value, error, parsed.Arg);
                    problems.Add(new Problem(Member(index, rule.Column), problem.Code, problem.Message, problem.MessageEn));
                }
                else
                {
                    values[rule.Column] = RegistryColumns.Canonical(parsed.Value);
                }
            }
            heads += values.GetValueOrDefault("HUBUNGAN_KK") == "1" ? 1 : 0;
            members.Add(values);
        }
        if (members.Count == 0 || heads != 1)
        {
            problems.Add(VerivaliProblems.Of("MEMBERS_REQUIRED"));
        }
        var niks = members.Select((m, i) => (Index: i + 1, Nik: m.GetValueOrDefault("NIK"))).Where(m => m.Nik is not null).ToList();
        var wanted = niks.Select(m => m.Nik!).ToList();
        var known = wanted.Count == 0 ? [] : await db.Persons.AsNoTracking().Where(p => wanted.Contains(p.Nik) && p.StatusHidup == LifeStatus.Hidup)
            .Select(p => new { p.Nik, NoKk = db.Families.Where(f => f.Id == p.FamilyId).Select(f => f.NoKk).First() }).ToListAsync(cancellationToken);
        foreach (var found in known)
        {
            var problem = RegistryProblem.Of(null, "NIK", null, "NIK_OTHER_FAMILY", NoKk.Mask(found.NoKk));
            problems.Add(new Problem(Member(niks.First(m => m.Nik == found.Nik).Index, "NIK"), problem.Code, problem.Message, problem.MessageEn));
        }
        if (family.GetValueOrDefault("NO_KK") is { } noKk && await db.Families.AnyAsync(f => f.NoKk == noKk, cancellationToken))
        {
            problems.Add(VerivaliProblems.Of("NO_KK_KNOWN") with { Field = "NO_KK" });
        }
        var period = await db.VerivaliPeriods.AsNoTracking().Where(p => p.ClosedAt == null).OrderByDescending(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (period is null)
        {
            problems.Add(VerivaliProblems.Of("NO_OPEN_PERIOD"));
        }
        else if (await VerivaliLines.MusdesClosedAsync(db, period.Id, kodeDesa, cancellationToken))
        {
            problems.Add(VerivaliProblems.Of("MUSDES_DONE"));
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems);
        }
        var proposal = new ProposedFamily(family, members);
        var head = proposal.Head;
        var suspects = await DuplicateSuspectsAsync(members, kodeDesa, cancellationToken);
        var note = $"Usulan keluarga baru NO_KK {NoKk.Mask(family.GetValueOrDefault("NO_KK") ?? "")}, kepala {head?.GetValueOrDefault("NAMA")}, {members.Count} anggota. {string.Join(" ", suspects)} {input.Note}".Trim();
        return new Outcome(new VerivaliLine
        {
            PeriodId = period!.Id,
            KodeDesa = kodeDesa,
            Reasons = VerivaliTerms.ReasonNewFamily,
            AssignedTo = input.AssignTo ?? input.Actor,
            Status = VerivaliTerms.Visited,
            Outcome = VerivaliTerms.NewFamily,
            // The family fields as a visit's proposed changes, for the berita acara's "changes" column.
            Changes = JsonSerializer.Serialize(family.Where(f => f.Key is not ("KODE_DESA" or "NO_KK")).Select(f => new VisitChange(null, f.Key, f.Value)).ToList()),
            Proposal = JsonSerializer.Serialize(proposal),
            Note = note.Length > 2000 ? note[..2000] : note,
            VisitedBy = input.Actor,
            VisitedAt = clock.GetUtcNow().UtcDateTime,
        }, []);
    }

    /// <summary>
    /// Members likely registered already under another NIK (a typo, a temporary NIK, a spelling of the name): a warning
    /// in the line's note for the musdes, never a refusal (docs/linkage.md).
    /// </summary>
    private async Task<List<string>> DuplicateSuspectsAsync(List<Dictionary<string, string?>> members, string kodeDesa, CancellationToken cancellationToken)
    {
        var suspects = new List<string>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var transaction = db.Database.CurrentTransaction is { } current ? Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(current) : null;
        foreach (var member in members)
        {
            if (member.GetValueOrDefault("NIK") is { } nik && member.GetValueOrDefault("NAMA") is { } nama
                && DateOnly.TryParseExact(member.GetValueOrDefault("TANGGAL_LAHIR"), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var born)
                && int.TryParse(member.GetValueOrDefault("JENIS_KELAMIN"), System.Globalization.CultureInfo.InvariantCulture, out var sex)
                && await Linkage.CheckDuplicate.FindAsync(db.Database.GetDbConnection(), transaction, new Linkage.CheckDuplicate.Person(nik, nama, born, sex, kodeDesa),
                    cancellationToken) is { } match)
            {
                // The note is read by the village's operator and the musdes: a match in another village is said without whom.
                suspects.Add($"{Linkage.CheckDuplicate.Code} {Nik.Mask(nik)}: {Linkage.CheckDuplicate.Describe(match, AccessScope.Within(kodeDesa)).Message}");
            }
        }
        return suspects;
    }

    private static string Member(int index, string column) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"members[{index}].{column}");

    private static string? Value(IReadOnlyDictionary<string, string?> values, string column) =>
        values.TryGetValue(column, out var v) || values.TryGetValue(column.ToLowerInvariant(), out v) ? (v?.Trim() is { Length: > 0 } t ? t : null) : null;
}

/// <summary>The proposed family of an usulan-baru line: family values and members by import column, canonical text.</summary>
public sealed record ProposedFamily(IReadOnlyDictionary<string, string?> Family, IReadOnlyList<Dictionary<string, string?>> Members)
{
    public Dictionary<string, string?>? Head => Members.FirstOrDefault(m => m.GetValueOrDefault("HUBUNGAN_KK") == "1");

    public static ProposedFamily? Read(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ProposedFamily>(json);
}
