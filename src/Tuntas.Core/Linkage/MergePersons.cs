using Microsoft.Extensions.Options;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Linkage;

/// <summary>
/// "Same person": merges a duplicate person into the one the reviewer keeps, and undoes such a merge, through the
/// registry's one writer (<see cref="RegistryWriter"/>, source <see cref="ChangeSource.Merge"/>; ARCHITECTURE §8): the
/// duplicate leaves its family (<see cref="RegistryWriter.MergeAway"/>), the kept person takes the better values as field
/// edits, both families are validated and written all or nothing with their history lines and versions.
/// <list type="bullet">
/// <item>Better value per field: a real NIK over a temporary one (OpenSID's <c>0…</c>); the birth date and sex the kept
/// NIK encodes (PP 37/2007 Pasal 37) over ones that contradict it; a known value over an unknown one; else the kept value.</item>
/// <item>Program enrollments of the removed person move to the kept one (and the kept person's family); when the kept
/// person already has an open enrollment in the same program, the duplicate one is closed instead (one person, one
/// benefit — the inclusion error this work exists to stop). Each move or close is an enrollment event.</item>
/// <item>Conflicting data is never guessed at: a different life status (any two records), and across families a
/// different sex, a different birth date (not a typo-like difference) or two heads of family are reported as conflicts
/// and the merge waits for the reviewer to confirm them.</item>
/// </list>
/// </summary>
public sealed class MergePersons(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long KeepPersonId, long RemovePersonId, string By, AccessScope Scope, bool ConfirmConflicts = false, double? Score = null, string? Note = null);

    public sealed record Outcome(PersonMerge? Merge, Problem? Problem, IReadOnlyList<string> Conflicts, IReadOnlyList<string> ChangedFields);

    public sealed record EnrollmentStep(long EnrollmentId, string Action, long PersonId, long FamilyId, string Status, DateOnly? EndedOn, string? ExitReason);

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>Reason recorded when a duplicate enrollment is closed or moved.</summary>
    public const string DuplicateReason = "duplikat";

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (input.KeepPersonId == input.RemovePersonId)
        {
            return Refuse("MERGE_SAMA", "Orang yang dipertahankan dan yang digabung harus berbeda.", "The kept and the merged person must differ.");
        }
        var keep = await db.Persons.SingleOrDefaultAsync(p => p.Id == input.KeepPersonId, cancellationToken);
        var remove = await db.Persons.SingleOrDefaultAsync(p => p.Id == input.RemovePersonId, cancellationToken);
        if (keep is null || remove is null)
        {
            return Refuse("MERGE_TIDAK_ADA", "Orang tidak ditemukan (mungkin sudah digabung).", "Person not found (perhaps already merged).");
        }
        var families = await db.Families.Where(f => f.Id == keep.FamilyId || f.Id == remove.FamilyId).ToDictionaryAsync(f => f.Id, cancellationToken);
        if (!families.Values.All(f => input.Scope.Covers(f.Id, f.KodeDesa)))
        {
            return Refuse("MERGE_DI_LUAR_WILAYAH", "Salah satu orang di luar wilayah Anda.", "One of the persons is outside your scope.");
        }
        var conflicts = Conflicts(keep, remove);
        if (conflicts.Count > 0 && !input.ConfirmConflicts)
        {
            return new Outcome(null, new Problem("", "MERGE_KONFLIK",
                "Dua orang di keluarga berbeda dengan data yang bertentangan: periksa dan konfirmasi dulu (" + string.Join(", ", conflicts) + ").",
                "Two persons in different families with conflicting data: check and confirm first (" + string.Join(", ", conflicts) + ")."), conflicts, []);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // The regency's day, not UTC's: a merge in WIB's morning (still yesterday in UTC) closes and moves enrollments today.
        var today = RegencyOptions.Of(regency).Today(clock);
        var snapshot = JsonSerializer.Serialize(remove, _json);
        var before = JsonSerializer.Serialize(keep, _json);
        var changes = BetterValues(keep, remove, today);
        var (a, b) = FindRegistryDuplicates.Ordered(keep.Id, remove.Id);
        var note = "penggabungan " + Nik.Mask(remove.Nik) + " → " + Nik.Mask(keep.Nik);
        var steps = new List<EnrollmentStep>();
        PersonMerge? merge = null;
        // One write through the registry's writer (ARCHITECTURE §8): the duplicate leaves its family, the kept person
        // takes the better values, both families get their history lines with source "gabung"; the enrollments move
        // before the duplicate's row goes, and the merge record commits with them — or nothing does.
        var edits = new List<RegistryWriter.FamilyEdit>
        {
            new(remove.FamilyId, null, [new RegistryWriter.MergeAway(remove.Id, keep.Nik, note)], "duplikat"),
        };
        var keptEdits = changes.Select(c => (RegistryWriter.Edit)new RegistryWriter.SetField(keep.Id, c.Field, Text(c.New))).ToList();
        if (keep.FamilyId == remove.FamilyId)
        {
            edits[0] = edits[0] with { Edits = [.. edits[0].Edits, .. keptEdits] };
        }
        else if (keptEdits.Count > 0)
        {
            edits.Add(new(keep.FamilyId, null, keptEdits, "duplikat"));
        }
        var written = await new RegistryWriter(db, clock, regency).RunAsync(new RegistryWriter.Input(edits, input.By, ChangeSource.Merge, input.Scope,
            BeforeWrite: async (tx, ct) => steps.AddRange(await MoveEnrollmentsAsync(tx, keep, remove, input.By, now, today, ct)),
            BeforeCommit: async (_, tx, ct) =>
            {
                merge = new PersonMerge
                {
                    KeptPersonId = keep.Id,
                    KeptFamilyId = keep.FamilyId,
                    RemovedPersonId = remove.Id,
                    RemovedFamilyId = remove.FamilyId,
                    RemovedNik = remove.Nik,
                    RemovedPerson = snapshot,
                    KeptBefore = before,
                    Enrollments = JsonSerializer.Serialize(steps, _json),
                    MergedBy = input.By,
                    MergedAt = now,
                };
                tx.PersonMerges.Add(merge);
                await tx.SaveChangesAsync(ct);
                var decision = await tx.DuplicateDecisions.SingleOrDefaultAsync(d => d.FirstPersonId == a && d.SecondPersonId == b, ct);
                if (decision is null)
                {
                    tx.DuplicateDecisions.Add(new DuplicateDecision
                    {
                        FirstPersonId = a,
                        SecondPersonId = b,
                        NikA = a == keep.Id ? keep.Nik : remove.Nik,
                        NikB = a == keep.Id ? remove.Nik : keep.Nik,
                        Decision = DuplicateDecision.Same,
                        Score = input.Score,
                        Note = input.Note,
                        MergeId = merge.Id,
                        DecidedBy = input.By,
                        DecidedAt = now,
                    });
                }
                else
                {
                    (decision.Decision, decision.MergeId, decision.DecidedBy, decision.DecidedAt) = (DuplicateDecision.Same, merge.Id, input.By, now);
                }
                await tx.SaveChangesAsync(ct);
            },
            AllOrNothing: true), cancellationToken);
        if (Refused(written) is { } problem)
        {
            return new Outcome(null, problem, conflicts, []);
        }
        return new Outcome(merge, null, conflicts, [.. changes.Select(c => c.Field)]);
    }

    /// <summary>The first problem of a write that did not happen (all or nothing), as the one refusal shape.</summary>
    private static Problem? Refused(RegistryWriter.Outcome written)
    {
        var failed = written.Families.FirstOrDefault(f => f.Result is RegistryWriter.Result.Invalid or RegistryWriter.Result.Stale or RegistryWriter.Result.NotFound);
        if (failed is null)
        {
            return null;
        }
        if (failed.Result == RegistryWriter.Result.NotFound)
        {
            return new Problem("", "MERGE_DI_LUAR_WILAYAH", "Salah satu keluarga di luar wilayah Anda atau tidak ada.", "One of the families is outside your scope or missing.");
        }
        var first = failed.Problems[0];
        return new Problem(first.AsProblem().Field, "MERGE_DITOLAK",
            "Penggabungan ditolak oleh pemeriksaan data terpadu: " + string.Join("; ", failed.Problems.Select(p => p.Message)),
            "The merge was refused by the registry's checks: " + string.Join("; ", failed.Problems.Select(p => p.MessageEn)));
    }

    /// <summary>
    /// The duplicate's enrollments move to the kept person (and family); one the kept person already holds open in the
    /// same program is closed instead (one person, one benefit). Each move or close is an enrollment event.
    /// </summary>
    private static async Task<List<EnrollmentStep>> MoveEnrollmentsAsync(TuntasDb db, Person keep, Person remove, string by, DateTime now, DateOnly today,
        CancellationToken cancellationToken)
    {
        var steps = new List<EnrollmentStep>();
        var open = await db.Enrollments.Where(e => e.PersonId == keep.Id && e.Status != ProgramTerms.Exited).Select(e => e.ProgramId).ToListAsync(cancellationToken);
        foreach (var enrollment in await db.Enrollments.Where(e => e.PersonId == remove.Id).OrderBy(e => e.Id).ToListAsync(cancellationToken))
        {
            var close = enrollment.Status != ProgramTerms.Exited && open.Contains(enrollment.ProgramId);
            steps.Add(new EnrollmentStep(enrollment.Id, close ? "tutup" : "pindah", enrollment.PersonId!.Value, enrollment.FamilyId, enrollment.Status, enrollment.EndedOn, enrollment.ExitReason));
            if (close)
            {
                enrollment.Status = ProgramTerms.Exited;
                enrollment.EndedOn = today;
                enrollment.ExitReason = DuplicateReason;
            }
            enrollment.PersonId = keep.Id;
            enrollment.FamilyId = keep.FamilyId;
            enrollment.UpdatedAt = now;
            db.EnrollmentEvents.Add(new EnrollmentEvent
            {
                EnrollmentId = enrollment.Id,
                Status = enrollment.Status,
                Reason = DuplicateReason,
                EffectiveOn = today,
                Note = close ? $"Ditutup: duplikat dari NIK {Nik.Mask(keep.Nik)} yang sudah terdaftar" : $"Dipindah dari duplikat {Nik.Mask(remove.Nik)} ke {Nik.Mask(keep.Nik)}",
                RecordedBy = by,
                RecordedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        return steps;
    }

    /// <summary>Undoes a merge: the kept person's fields as before, the removed person back with its id, enrollments back.</summary>
    public async Task<Outcome> UndoAsync(long mergeId, string by, AccessScope scope, CancellationToken cancellationToken)
    {
        var merge = await db.PersonMerges.SingleOrDefaultAsync(m => m.Id == mergeId, cancellationToken);
        if (merge is null)
        {
            return Refuse("MERGE_TIDAK_ADA", "Penggabungan tidak ditemukan.", "Merge not found.");
        }
        if (merge.UndoneAt is not null)
        {
            return Refuse("MERGE_SUDAH_DIBATALKAN", "Penggabungan ini sudah dibatalkan.", "This merge has already been undone.");
        }
        var families = await db.Families.Where(f => f.Id == merge.KeptFamilyId || f.Id == merge.RemovedFamilyId).ToListAsync(cancellationToken);
        if (families.Count == 0 || !families.All(f => scope.Covers(f.Id, f.KodeDesa)))
        {
            return Refuse("MERGE_DI_LUAR_WILAYAH", "Penggabungan ini di luar wilayah Anda.", "This merge is outside your scope.");
        }
        var keep = await db.Persons.SingleOrDefaultAsync(p => p.Id == merge.KeptPersonId, cancellationToken);
        if (keep is null)
        {
            return Refuse("MERGE_TIDAK_ADA", "Orang yang dipertahankan sudah tidak ada.", "The kept person no longer exists.");
        }
        if (await db.Persons.AnyAsync(p => p.Nik == merge.RemovedNik && p.Id != keep.Id, cancellationToken))
        {
            return Refuse("MERGE_NIK_DIPAKAI", "NIK orang yang digabung kini dipakai orang lain; batalkan tidak aman.", "The merged person's NIK is now used by someone else; undo is not safe.");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var today = RegencyOptions.Of(regency).Today(clock);
        var before = JsonSerializer.Deserialize<Person>(merge.KeptBefore, _json)!;
        var removed = JsonSerializer.Deserialize<Person>(merge.RemovedPerson, _json)!;
        var restored = _fields.Where(f => !Equals(f.Get(keep), f.Get(before)) && f.Column != "NIK_SEMENTARA").Select(f => f.Column).ToList();
        var note = "batal penggabungan #" + merge.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var keptEdits = restored.Select(c => (RegistryWriter.Edit)new RegistryWriter.SetField(keep.Id, c, Text(_fields.Single(f => f.Column == c).Get(before)))).ToList();
        var edits = new List<RegistryWriter.FamilyEdit> { new(removed.FamilyId, null, [new RegistryWriter.RestoreMember(removed, note)], "duplikat") };
        if (removed.FamilyId == keep.FamilyId)
        {
            edits[0] = edits[0] with { Edits = [.. keptEdits, .. edits[0].Edits] };
        }
        else if (keptEdits.Count > 0)
        {
            edits.Insert(0, new(keep.FamilyId, null, keptEdits, "duplikat"));
        }
        var written = await new RegistryWriter(db, clock, regency).RunAsync(new RegistryWriter.Input(edits, by, ChangeSource.Merge, scope,
            BeforeCommit: async (_, tx, ct) =>
            {
                // The restored row exists now: its enrollments come back to it.
                foreach (var step in JsonSerializer.Deserialize<List<EnrollmentStep>>(merge.Enrollments, _json)!)
                {
                    var enrollment = await tx.Enrollments.SingleAsync(e => e.Id == step.EnrollmentId, ct);
                    (enrollment.PersonId, enrollment.FamilyId, enrollment.Status, enrollment.EndedOn, enrollment.ExitReason, enrollment.UpdatedAt) =
                        (step.PersonId, step.FamilyId, step.Status, step.EndedOn, step.ExitReason, now);
                    tx.EnrollmentEvents.Add(new EnrollmentEvent
                    {
                        EnrollmentId = enrollment.Id,
                        Status = enrollment.Status,
                        Reason = DuplicateReason,
                        EffectiveOn = today,
                        Note = $"Batal penggabungan #{merge.Id}: kembali ke {Nik.Mask(removed.Nik)}",
                        RecordedBy = by,
                        RecordedAt = now,
                    });
                }
                var tracked = await tx.PersonMerges.SingleAsync(m => m.Id == merge.Id, ct);
                (tracked.UndoneBy, tracked.UndoneAt) = (by, now);
                // The pair is open again: a reviewer decides anew.
                await tx.DuplicateDecisions.Where(d => d.MergeId == merge.Id).ExecuteDeleteAsync(ct);
                await tx.SaveChangesAsync(ct);
                (merge.UndoneBy, merge.UndoneAt) = (by, now);
            },
            AllOrNothing: true), cancellationToken);
        if (Refused(written) is { } problem)
        {
            return new Outcome(null, problem, [], []);
        }
        return new Outcome(merge, null, [], restored);
    }

    /// <summary>
    /// What the reviewer must confirm before two persons of different families become one: a different sex, a birth date
    /// that differs other than by a typo (one digit, a swapped day and month), two heads of family.
    /// </summary>
    public static List<string> Conflicts(Person keep, Person remove)
    {
        var conflicts = new List<string>();
        // Alive in one record and dead, moved or missing in the other: which is true is a fact only the field knows.
        if (keep.StatusHidup != remove.StatusHidup)
        {
            conflicts.Add(RegistryHistory.LifeStatusField);
        }
        if (keep.FamilyId == remove.FamilyId)
        {
            return conflicts;
        }
        if (keep.JenisKelamin != remove.JenisKelamin)
        {
            conflicts.Add("JENIS_KELAMIN");
        }
        if (Comparisons.BirthDate(BirthDates.Format(keep.TanggalLahir), BirthDates.Format(remove.TanggalLahir)) < 2)
        {
            conflicts.Add("TANGGAL_LAHIR");
        }
        if (keep.HubunganKk == 1 && remove.HubunganKk == 1)
        {
            conflicts.Add("HUBUNGAN_KK");
        }
        return conflicts;
    }

    private sealed record Field(string Column, Func<Person, object?> Get, Action<Person, object?> Set);

    private static readonly Field[] _fields =
    [
        new("NIK", p => p.Nik, (p, v) => p.Nik = (string)v!),
        new("NIK_SEMENTARA", p => p.NikSementara, (p, v) => p.NikSementara = (bool)v!),
        new("TANGGAL_LAHIR", p => p.TanggalLahir, (p, v) => p.TanggalLahir = (DateOnly)v!),
        new("JENIS_KELAMIN", p => p.JenisKelamin, (p, v) => p.JenisKelamin = (int)v!),
        new("TEMPAT_LAHIR", p => p.TempatLahir, (p, v) => p.TempatLahir = (string?)v),
        new("STATUS_KAWIN", p => p.StatusKawin, (p, v) => p.StatusKawin = (int)v!),
        new("PENDIDIKAN", p => p.Pendidikan, (p, v) => p.Pendidikan = (int)v!),
        new("STATUS_SEKOLAH", p => p.StatusSekolah, (p, v) => p.StatusSekolah = (int?)v),
        new("BEKERJA", p => p.Bekerja, (p, v) => p.Bekerja = (bool?)v),
        new("PEKERJAAN", p => p.Pekerjaan, (p, v) => p.Pekerjaan = (string?)v),
        new("PENGHASILAN", p => p.Penghasilan, (p, v) => p.Penghasilan = (long?)v),
        new("DISABILITAS", p => p.Disabilitas, (p, v) => p.Disabilitas = (int)v!),
        new("PENYAKIT_KRONIS", p => p.PenyakitKronis, (p, v) => p.PenyakitKronis = (bool?)v),
        new("HAMIL", p => p.Hamil, (p, v) => p.Hamil = (bool?)v),
    ];

    /// <summary>The fields of <paramref name="keep"/> that take <paramref name="remove"/>'s value: (column, old text, new value, setter).</summary>
    private static List<(string Field, string? Old, object? New, Action<Person, object?> Apply)> BetterValues(Person keep, Person remove, DateOnly today)
    {
        var changes = new List<(string, string?, object?, Action<Person, object?>)>();
        void Take(Field field)
        {
            var value = field.Get(remove);
            changes.Add((field.Column, Text(field.Get(keep)), value, field.Set));
        }
        Field F(string column) => _fields.Single(f => f.Column == column);
        var nik = keep.Nik;
        if (keep.NikSementara && !remove.NikSementara)
        {
            Take(F("NIK")); // NIK_SEMENTARA follows from the NIK
            nik = remove.Nik;
        }
        // The birth date and sex a real NIK encodes settle a disagreement (DOMAIN §4.1).
        if (!nik.StartsWith('0') && Nik.TryParse(nik, today, out var parsed) is null)
        {
            if (parsed.BirthDate is { } encoded && keep.TanggalLahir != encoded && remove.TanggalLahir == encoded)
            {
                Take(F("TANGGAL_LAHIR"));
            }
            if (parsed.Sex is { } sex && keep.JenisKelamin != sex && remove.JenisKelamin == sex)
            {
                Take(F("JENIS_KELAMIN"));
            }
        }
        foreach (var field in _fields.Skip(4))
        {
            var kept = field.Get(keep);
            var other = field.Get(remove);
            var unknown = kept is null || (kept is int i && i == 0) || (kept is string s && s.Length == 0);
            var known = other is not null && !(other is int j && j == 0) && !(other is string t && t.Length == 0);
            if (unknown && known)
            {
                Take(field);
            }
        }
        return changes;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static Outcome Refuse(string code, string message, string messageEn) => new(null, new Problem("", code, message, messageEn), [], []);
}
