using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Tuntas.Imports;
using Tuntas.Regions;

namespace Tuntas.Registry;

/// <summary>One problem with one edit: the field (an import column), the member concerned, the import's code and text.</summary>
public sealed record RegistryProblem(long? PersonId, string? Field, string? Value, string Code, string Message, string MessageEn)
{
    public static RegistryProblem Of(long? personId, string? field, string? value, string code, params object?[] args)
    {
        var issue = ImportMessages.Issue(0, field, value, code, args);
        return new RegistryProblem(personId, field, value, code, issue.Message, issue.MessageEn);
    }

    /// <summary>As the one refusal shape, the field named as the API addresses it (<c>persons[12].PEKERJAAN</c>).</summary>
    public Problem AsProblem() => new(PersonId is { } id ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"persons[{id}].{Field}") : Field ?? "",
        Code, Message, MessageEn);
}

/// <summary>
/// The one writer of families and persons outside the file import's bulk path (docs/registry.md): the editor, accepted
/// change requests, verivali decisions of the musdes and merges call it. For each family it
/// <list type="number">
/// <item>checks the caller's scope and the version the caller saw (a second save on a stale version is refused and
/// shown the lines written since);</item>
/// <item>applies the edits to a copy and validates every value with the import's field rules and codes
/// (<see cref="RegistryFields"/>), then the family as a whole (one living head, NIK unique, HAMIL only for women);</item>
/// <item>writes the family, its members and one history line per changed field with who, when and the source, and
/// raises the version.</item>
/// </list>
/// Families are written in chunks, each chunk in one transaction: a killed process leaves every family either fully
/// written or untouched. A family with a problem is skipped; the others are written.
/// </summary>
public sealed class RegistryWriter(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>Families per transaction: large enough for few round trips, small enough for short locks.</summary>
    public const int ChunkSize = 500;

    public abstract record Edit;

    /// <summary>Sets one field (an import column) of the family (PersonId null) or of a member, from typed text.</summary>
    public sealed record SetField(long? PersonId, string Field, string? Value) : Edit;

    /// <summary>A life event: meninggal, pindah (destination), hilang — or back to hidup (a correction).</summary>
    public sealed record SetLifeStatus(long PersonId, int Status, DateOnly? Date, string? Destination) : Edit;

    /// <summary>A new member (a birth, or a person joining): every required person column, as typed text.</summary>
    public sealed record AddMember(IReadOnlyDictionary<string, string?> Fields) : Edit;

    /// <summary>Pecah KK: the members move to a new family with the new NO_KK (same dwelling); one of them is its head.</summary>
    public sealed record SplitOff(IReadOnlyList<long> PersonIds, string NewNoKk) : Edit;

    /// <summary>The family was verified in the field (verivali): sets the verification date, one VERIFIKASI line.</summary>
    public sealed record MarkVerified(string Outcome) : Edit;

    /// <summary>
    /// A member registered twice leaves the registry: merged into the person with <paramref name="KeptNik"/> (a reviewer's
    /// "same person", docs/linkage.md). One <c>DUPLIKAT_DIGABUNG</c> line; the row is deleted, its snapshot kept by the caller.
    /// </summary>
    public sealed record MergeAway(long PersonId, string KeptNik, string Note) : Edit;

    /// <summary>A merged member comes back with its id and values (a merge undone): one <c>BATAL_GABUNG</c> line.</summary>
    public sealed record RestoreMember(Person Snapshot, string Note) : Edit;

    /// <summary>
    /// A family the registry does not hold yet (an usulan baru the musdes agreed, DOMAIN §2.1): the first edit of a
    /// <see cref="FamilyEdit"/> whose FamilyId is 0, followed by its fields (<see cref="SetField"/> without a person) and
    /// its members (<see cref="AddMember"/>). Checked like the import: the village exists and is in scope, the NO_KK and
    /// every NIK are free, exactly one living head. One <c>KELUARGA_BARU</c> line, as a file import writes.
    /// </summary>
    public sealed record NewFamily(string KodeDesa, string NoKk) : Edit;

    public sealed record FamilyEdit(long FamilyId, long? ExpectedVersion, IReadOnlyList<Edit> Edits, string? SourceRef = null);

    /// <param name="BeforeCommit">Runs inside each chunk's transaction after its families are written, so that the
    /// caller's own bookkeeping (a verivali line marked applied) commits or rolls back with them.</param>
    /// <param name="BeforeWrite">Runs inside the transaction once every family is valid, before any row is written (a
    /// merge moves the duplicate's enrollments there, before its row goes).</param>
    /// <param name="AllOrNothing">Write none of the families when one is invalid, stale or not found (a merge touches two
    /// families that must change together). Only for edits that fit one chunk.</param>
    public sealed record Input(IReadOnlyList<FamilyEdit> Families, string Actor, string Source, AccessScope Scope,
        Func<IReadOnlyList<FamilyOutcome>, TuntasDb, CancellationToken, Task>? BeforeCommit = null,
        Func<TuntasDb, CancellationToken, Task>? BeforeWrite = null, bool AllOrNothing = false);

    public enum Result
    {
        Written,
        Unchanged,
        Invalid,
        Stale,
        NotFound,
    }

    /// <summary>
    /// What happened to one family. <see cref="Changes"/> are the lines written, or for <see cref="Result.Stale"/> the
    /// lines written by others since the version the caller saw. <see cref="NewFamilyId"/> is the family a pecah KK made.
    /// </summary>
    public sealed record FamilyOutcome(long FamilyId, Result Result, long Version, IReadOnlyList<RegistryProblem> Problems, IReadOnlyList<FamilyChange> Changes, long? NewFamilyId = null)
    {
        /// <summary>The caller's reference of the edit (<see cref="FamilyEdit.SourceRef"/>): how a caller finds the
        /// outcome of a family that had no id before the write (<see cref="NewFamily"/>).</summary>
        public string? SourceRef { get; init; }

        /// <summary>Warnings that did not stop the write: a member likely registered already under another NIK
        /// (<c>DUPLICATE_SUSPECT</c>, <see cref="Linkage.CheckDuplicate"/>).</summary>
        public IReadOnlyList<RegistryProblem> Warnings { get; init; } = [];
    }

    public sealed record Outcome(IReadOnlyList<FamilyOutcome> Families)
    {
        public int Written => Families.Count(f => f.Result == Result.Written);
    }

    /// <summary>One family, the editor's case.</summary>
    public async Task<FamilyOutcome> WriteAsync(FamilyEdit edit, string actor, string source, AccessScope scope, CancellationToken cancellationToken) =>
        (await RunAsync(new Input([edit], actor, source, scope), cancellationToken)).Families[0];

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var outcomes = new List<FamilyOutcome>(input.Families.Count);
        foreach (var chunk in input.Families.Chunk(ChunkSize))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    outcomes.AddRange(await WriteChunkAsync(chunk, input, cancellationToken));
                    break;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 3)
                {
                    // Another writer raised a version between our read and our write (PostgreSQL, read committed): read
                    // again; a family whose caller named a version is then refused as stale, never overwritten.
                    db.ChangeTracker.Clear();
                }
            }
        }
        return new Outcome(outcomes);
    }

    private async Task<List<FamilyOutcome>> WriteChunkAsync(FamilyEdit[] chunk, Input input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var context = new RegistryFields.Context { Today = RegencyOptions.Of(regency).Today(clock) };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Wait for a running file import (it holds this lock exclusively and decided its updates from rows read before);
        // writers share it among themselves.
        await db.Database.LockSharedAsync(LockKey.Registry, cancellationToken);
        var ids = chunk.Where(e => !IsNew(e)).Select(e => e.FamilyId).Distinct().ToList();
        var families = await db.Families.Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var members = (await db.Persons.Where(p => ids.Contains(p.FamilyId)).ToListAsync(cancellationToken)).ToLookup(p => p.FamilyId);
        var results = new List<FamilyOutcome>(chunk.Length);
        var written = new List<(FamilyEdit Edit, Family Family, Work Work)>();
        var niksTaken = await NiksTakenAsync(chunk, cancellationToken);
        foreach (var edit in chunk)
        {
            Family? family;
            if (IsNew(edit))
            {
                (family, var refused) = await NewFamilyAsync((NewFamily)edit.Edits[0], input.Scope, context, cancellationToken);
                if (refused is not null || family is null)
                {
                    results.Add(new FamilyOutcome(0, family is null ? Result.NotFound : Result.Invalid, 0, refused is null ? [] : [refused], []));
                    continue;
                }
            }
            else if (!families.TryGetValue(edit.FamilyId, out family) || !input.Scope.Covers(family.Id, family.KodeDesa))
            {
                results.Add(new FamilyOutcome(edit.FamilyId, Result.NotFound, 0, [], []));
                continue;
            }
            if (edit.ExpectedVersion is { } expected && expected != family.Version)
            {
                var since = await db.FamilyChanges.AsNoTracking()
                    .Where(c => c.FamilyId == family.Id && c.FamilyVersion > expected)
                    .OrderBy(c => c.Id).Take(200).ToListAsync(cancellationToken);
                results.Add(new FamilyOutcome(family.Id, Result.Stale, family.Version, [RegistryProblem.Of(null, null, null, "VERSION_STALE", family.Version)], since));
                continue;
            }
            var work = new Work(family, IsNew(edit) ? [] : [.. members[family.Id]], context, niksTaken, input.Source);
            foreach (var change in edit.Edits)
            {
                work.Apply(change);
            }
            if (work.Problems.Count == 0)
            {
                await work.CheckNewKeysAsync(db, cancellationToken);
            }
            if (work.Problems.Count == 0)
            {
                work.CheckFamily();
            }
            if (work.Problems.Count > 0)
            {
                results.Add(new FamilyOutcome(family.Id, Result.Invalid, family.Version, work.Problems, []));
                continue;
            }
            written.Add((edit, family, work));
            results.Add(null!); // filled below, once the ids are known
        }
        if (input.AllOrNothing && results.Any(r => r is not null))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return [.. results.Select((r, i) => r ?? new FamilyOutcome(chunk[i].FamilyId, Result.Unchanged, 0, [], []))];
        }
        if (input.BeforeWrite is { } before)
        {
            await before(db, cancellationToken);
        }
        // Members merged away go first, in their own statement: the kept person may take over the NIK (unique).
        var mergedAway = written.SelectMany(w => w.Work.MergedAway(members[w.Family.Id])).ToList();
        if (mergedAway.Count > 0)
        {
            db.Persons.RemoveRange(mergedAway);
            await db.SaveChangesAsync(cancellationToken);
        }

        // Write: copy each validated copy onto the tracked rows, add new rows, then the history with their ids.
        var stamps = new Dictionary<FamilyEdit, ChangeStamp>();
        foreach (var (edit, family, work) in written)
        {
            stamps[edit] = new ChangeStamp(input.Actor, now, input.Source, edit.SourceRef);
            work.CopyOnto(family, members[family.Id], now, db);
        }
        await UpdateFamiliesAsync([.. written.Where(w => w.Work.Written && !w.Work.IsNew).Select(w => (w.Family, w.Work.Before))], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var lines = new List<FamilyChange>();
        var index = 0;
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is not null)
            {
                results[i] = results[i] with { SourceRef = chunk[i].SourceRef };
                continue;
            }
            var (edit, family, work) = written[index++];
            var familyLines = work.History(stamps[edit], family.Version);
            lines.AddRange(familyLines);
            results[i] = new FamilyOutcome(family.Id, familyLines.Count == 0 ? Result.Unchanged : Result.Written, family.Version, [], familyLines, work.SplitFamily?.Id)
            {
                SourceRef = edit.SourceRef,
            };
        }
        await InsertHistoryAsync(lines, cancellationToken);
        if (input.BeforeCommit is { } hook)
        {
            await hook(results, db, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        if (input.Source != ChangeSource.Merge)
        {
            await WarnDuplicatesAsync(results, written, input.Scope, cancellationToken);
        }
        return results;
    }

    private static bool IsNew(FamilyEdit edit) => edit.FamilyId == 0 && edit.Edits is [NewFamily, ..];

    /// <summary>
    /// The row of a family to be registered, its village and NO_KK checked with the import's rules: null with a problem
    /// when the village is outside the writer's scope (as a family not found), the row with a problem when a value is wrong.
    /// </summary>
    private async Task<(Family? Family, RegistryProblem? Problem)> NewFamilyAsync(NewFamily create, AccessScope scope, RegistryFields.Context context, CancellationToken cancellationToken)
    {
        var dotted = Regions.RegionCode.ToDotted(create.KodeDesa ?? "") ?? "";
        if (dotted.Length == 0 || !scope.CoversVillage(dotted))
        {
            return (null, RegistryProblem.Of(null, "KODE_DESA", create.KodeDesa, "NOT_FOUND"));
        }
        var known = await db.Regions.AnyAsync(r => r.Code == dotted, cancellationToken);
        var checks = new RegistryFields.Context { Today = context.Today, VillageExists = _ => known };
        var family = new Family { KodeDesa = dotted, NoKk = "", Version = 0 };
        foreach (var (column, value) in new[] { ("KODE_DESA", create.KodeDesa), ("NO_KK", create.NoKk) })
        {
            var parsed = RegistryFields.Parse(RegistryFields.FamilyRule(column)!, value, checks);
            if (parsed.Error is { } error)
            {
                return (family, RegistryProblem.Of(null, column, column == "NO_KK" ? null : value, error, parsed.Arg));
            }
            RegistryFields.FamilyColumn(column).Set(family, parsed.Value);
        }
        family.NoKkSementara = family.NoKk[0] == '0';
        return (family, null);
    }

    /// <summary>The database of this context, for the bulk paths (which only ask its provider).</summary>
    private TuntasDatabase Database => TuntasDatabase.Of(db.Database);

    /// <summary>
    /// Writes the changed families without EF's change tracker, guarded by the version the chunk read: a family raised by
    /// another writer meanwhile fails the chunk, which is read again (RunAsync). Only the columns that changed are set
    /// (SQLite rewrites the index entries of every column a SET names). SQLite: one prepared UPDATE per set of columns,
    /// run per family (in-process, no round trip). PostgreSQL: one UPDATE … FROM unnest(arrays) per set of columns and
    /// chunk (a statement per family is a round trip each: 33 s for 50,000). Through EF's SaveChanges every family cost
    /// about 0.1 ms of change detection and statement building (5.7–13.5 s of a 50,000-family musdes apply,
    /// docs/benchmarks.md#verivali). The rows are then marked unchanged; members and new rows stay with EF.
    /// </summary>
    private async Task UpdateFamiliesAsync(List<(Family Family, Family Before)> families, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var bySet = families.GroupBy(f => RegistryColumns.Family.Where(c => c.Sql != "id" && !Equals(c.Get(f.Family), c.Get(f.Before))).ToList(),
            f => f, new ColumnSetComparer());
        foreach (var set in bySet)
        {
            var columns = set.Key;
            var rows = set.ToList();
            var updated = await BulkUpdate<Family>.VersionedAsync(Database, connection, transaction, "families", columns,
                [.. rows.Select(r => (r.Family.Id, r.Before.Version, r.Family))], cancellationToken);
            if (updated != rows.Count)
            {
                throw new DbUpdateConcurrencyException("families: a version changed while the chunk was written");
            }
        }
        foreach (var (family, _) in families)
        {
            // Written: the tracked row now matches the database, so SaveChanges leaves it alone.
            var entry = db.Entry(family);
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    private sealed class ColumnSetComparer : IEqualityComparer<List<RegistryColumn<Family>>>
    {
        public bool Equals(List<RegistryColumn<Family>>? x, List<RegistryColumn<Family>>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(List<RegistryColumn<Family>> columns) => columns.Aggregate(columns.Count, (h, c) => HashCode.Combine(h, c.Sql));
    }

    /// <summary>
    /// The history lines of the chunk on the provider's bulk path (the import's: prepared INSERTs on SQLite, binary COPY on
    /// PostgreSQL) inside the chunk's transaction; through EF, which reads back every id, they took 7–14 s of a 50,000
    /// family apply. The lines returned to callers carry no id.
    /// </summary>
    private async Task InsertHistoryAsync(List<FamilyChange> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }
        await using var insert = await BulkInsert<FamilyChange>.StartAsync(Database, db.Database.GetDbConnection(),
            db.Database.CurrentTransaction!.GetDbTransaction(), "family_changes", RegistryColumns.Change, cancellationToken);
        foreach (var line in lines)
        {
            await insert.AddAsync(line, cancellationToken);
        }
        await insert.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Members added, or whose NIK, name or birth date changed, checked against the rest of the registry: a likely
    /// duplicate is a warning on the family's outcome (the editor, the API and field submissions show it), not a refusal.
    /// </summary>
    private async Task WarnDuplicatesAsync(List<FamilyOutcome> results, List<(FamilyEdit Edit, Family Family, Work Work)> written, AccessScope scope,
        CancellationToken cancellationToken)
    {
        var checks = written.SelectMany(w => w.Work.IdentityChanged().Select(p => (w.Family, Person: p))).ToList();
        if (checks.Count == 0)
        {
            return;
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var (family, person) in checks)
            {
                var candidate = new Linkage.CheckDuplicate.Person(person.Nik, person.Nama, person.TanggalLahir, person.JenisKelamin, family.KodeDesa, person.Id, family.Id);
                if (await Linkage.CheckDuplicate.FindAsync(connection, null, candidate, cancellationToken) is not { } match)
                {
                    continue;
                }
                var (message, messageEn) = Linkage.CheckDuplicate.Describe(match, scope);
                var warning = new RegistryProblem(person.Id, "NIK", Nik.Mask(person.Nik), Linkage.CheckDuplicate.Code, message, messageEn);
                var index = results.FindIndex(r => r.FamilyId == family.Id);
                results[index] = results[index] with { Warnings = [.. results[index].Warnings, warning] };
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The NIKs the edits of the chunk introduce that the registry already has, with the family holding each.</summary>
    private async Task<Dictionary<string, long>> NiksTakenAsync(FamilyEdit[] chunk, CancellationToken cancellationToken)
    {
        var niks = chunk.SelectMany(e => e.Edits).SelectMany(e => e switch
        {
            SetField { Field: "NIK", Value: { } v } => [Digits(v)],
            AddMember m when m.Fields.TryGetValue("NIK", out var v) && v is not null => [Digits(v)],
            RestoreMember r => [r.Snapshot.Nik],
            _ => Array.Empty<string>(),
        }).Distinct().ToList();
        if (niks.Count == 0)
        {
            return [];
        }
        // A NIK the chunk also takes away from its holder (merged away, or given another NIK) is free for the new holder.
        var released = chunk.SelectMany(e => e.Edits).SelectMany(e => e switch
        {
            MergeAway m => [m.PersonId],
            SetField { Field: "NIK", PersonId: { } id } => [id],
            _ => Array.Empty<long>(),
        }).ToHashSet();
        return await db.Persons.AsNoTracking().Where(p => niks.Contains(p.Nik) && !released.Contains(p.Id))
            .ToDictionaryAsync(p => p.Nik, p => p.FamilyId, cancellationToken);
    }

    private static string Digits(string text) => IdentifierText.Normalize(text, out var digits) is null ? digits : text.Trim();

    internal static Family CloneFamily(Family source)
    {
        var copy = new Family { NoKk = "", KodeDesa = "" };
        foreach (var column in RegistryColumns.Family)
        {
            column.Set(copy, column.Get(source));
        }
        return copy;
    }

    internal static Person ClonePerson(Person source)
    {
        var copy = new Person { Nik = "", Nama = "", NamaKunci = "" };
        foreach (var column in RegistryColumns.Person)
        {
            column.Set(copy, column.Get(source));
        }
        return copy;
    }

    /// <summary>The edits of one family applied to copies, with the problems found; nothing tracked is touched until valid.</summary>
    private sealed class Work(Family tracked, List<Person> trackedMembers, RegistryFields.Context context, Dictionary<string, long> niksTaken, string source)
    {
        // The rows as read (the tracked ones change when the work is copied onto them), and the copy the edits change.
        private readonly Family _before = CloneFamily(tracked);
        private readonly List<Person> _beforeMembers = [.. trackedMembers.Select(ClonePerson)];
        private readonly Family _family = CloneFamily(tracked);
        private readonly List<Person> _members = [.. trackedMembers.Select(ClonePerson)];
        private readonly List<Person> _added = [];
        private readonly HashSet<long> _splitIds = [];
        private readonly List<(Person Person, string KeptNik, string Note)> _mergedAway = [];
        private readonly List<(Person Person, string Note)> _restored = [];
        private string? _splitNoKk;
        private string? _verified;
        private Family? _splitFamily;

        public List<RegistryProblem> Problems { get; } = [];

        public Family? SplitFamily => _splitFamily;

        /// <summary>A family being registered (<see cref="NewFamily"/>): no row yet, written whole.</summary>
        public bool IsNew { get; } = tracked.Id == 0;

        public void Apply(Edit edit)
        {
            switch (edit)
            {
                case SetField set:
                    ApplyField(set);
                    break;
                case SetLifeStatus life:
                    ApplyLife(life);
                    break;
                case AddMember add:
                    ApplyAdd(add);
                    break;
                case SplitOff split:
                    ApplySplit(split);
                    break;
                case MarkVerified verified:
                    _verified = verified.Outcome;
                    break;
                case MergeAway away:
                    if (Member(away.PersonId, "NIK") is { } gone)
                    {
                        _members.Remove(gone);
                        _mergedAway.Add((gone, away.KeptNik, away.Note));
                    }
                    break;
                case RestoreMember restore:
                    ApplyRestore(restore);
                    break;
                case NewFamily:
                    break; // its village and NO_KK were checked when the row was made
            }
        }

        private Person? Member(long personId, string? field)
        {
            var person = _members.FirstOrDefault(p => p.Id == personId);
            if (person is null)
            {
                Problems.Add(RegistryProblem.Of(personId, field, null, "PERSON_NOT_IN_FAMILY"));
            }
            return person;
        }

        private void ApplyField(SetField set)
        {
            var field = set.Field.Trim().ToUpperInvariant();
            if (set.PersonId is null)
            {
                if (!RegistryFields.IsEditableFamilyField(field))
                {
                    Problems.Add(RegistryProblem.Of(null, field, null, "FIELD_NOT_EDITABLE", field));
                    return;
                }
                var parsed = RegistryFields.Parse(RegistryFields.FamilyRule(field)!, set.Value, context);
                if (parsed.Error is { } error)
                {
                    Problems.Add(RegistryProblem.Of(null, field, Shown(set.Value), error, parsed.Arg));
                    return;
                }
                RegistryFields.FamilyColumn(field).Set(_family, parsed.Value);
                return;
            }
            if (!RegistryFields.IsEditablePersonField(field))
            {
                Problems.Add(RegistryProblem.Of(set.PersonId, field, null, "FIELD_NOT_EDITABLE", field));
                return;
            }
            if (Member(set.PersonId.Value, field) is not { } person)
            {
                return;
            }
            SetPersonField(person, field, set.Value);
        }

        private void SetPersonField(Person person, string field, string? text)
        {
            var rule = RegistryFields.PersonRule(field)!;
            var parsed = RegistryFields.Parse(rule, text, context);
            if (parsed.Error is { } error)
            {
                var shown = rule.Kind == RegistryFields.Kind.Nik ? null : Shown(text);
                Problems.Add(RegistryProblem.Of(person.Id == 0 ? null : person.Id, field, shown, error, parsed.Arg));
                return;
            }
            RegistryFields.PersonColumn(field)!.Set(person, parsed.Value);
            if (field == "NIK")
            {
                person.NikSementara = parsed.NikInfo.Temporary;
            }
            if (field == "NAMA")
            {
                person.NamaKunci = NameKey.For(person.Nama);
            }
        }

        private static string? Shown(string? text) => text is null ? null : text.Length <= 60 ? text.Trim() : text.Trim()[..60] + "…";

        private void ApplyLife(SetLifeStatus life)
        {
            if (Member(life.PersonId, RegistryHistory.LifeStatusField) is not { } person)
            {
                return;
            }
            if (!LifeStatus.All.Contains(life.Status))
            {
                Problems.Add(RegistryProblem.Of(person.Id, RegistryHistory.LifeStatusField, null, "OUT_OF_RANGE", "hidup, meninggal, pindah, hilang"));
                return;
            }
            if (life.Date is { } date && date > context.Today)
            {
                Problems.Add(RegistryProblem.Of(person.Id, "TANGGAL_STATUS", RegistryColumns.Canonical(date), "DATE_FUTURE"));
                return;
            }
            var destination = life.Destination?.Trim();
            if (destination is { Length: > 200 })
            {
                Problems.Add(RegistryProblem.Of(person.Id, "PINDAH_KE", null, "TEXT_TOO_LONG", 200));
                return;
            }
            person.StatusHidup = life.Status;
            person.StatusTanggal = life.Status == LifeStatus.Hidup ? null : life.Date ?? context.Today;
            person.PindahKe = life.Status == LifeStatus.Pindah && destination is { Length: > 0 } ? destination : null;
        }

        private void ApplyAdd(AddMember add)
        {
            var person = new Person { Nik = "", Nama = "", NamaKunci = "", FamilyId = _family.Id };
            var before = Problems.Count;
            var unknown = add.Fields.Keys.Where(k => !RegistryFields.IsEditablePersonField(k.Trim().ToUpperInvariant())).ToList();
            foreach (var field in unknown)
            {
                Problems.Add(RegistryProblem.Of(null, field, null, "FIELD_NOT_EDITABLE", field));
            }
            foreach (var rule in RegistryFields.PersonRules.Where(r => RegistryFields.IsEditablePersonField(r.Column)))
            {
                var text = add.Fields.FirstOrDefault(f => string.Equals(f.Key.Trim(), rule.Column, StringComparison.OrdinalIgnoreCase)).Value;
                SetPersonField(person, rule.Column, text);
            }
            if (Problems.Count == before)
            {
                _added.Add(person);
                _members.Add(person);
            }
        }

        private void ApplyRestore(RestoreMember restore)
        {
            if (_members.Any(p => p.Id == restore.Snapshot.Id))
            {
                Problems.Add(RegistryProblem.Of(restore.Snapshot.Id, "NIK", Nik.Mask(restore.Snapshot.Nik), "NIK_DUPLICATE", "-"));
                return;
            }
            var person = ClonePerson(restore.Snapshot);
            (person.Id, person.FamilyId, person.CreatedAt) = (restore.Snapshot.Id, _family.Id, restore.Snapshot.CreatedAt);
            _restored.Add((person, restore.Note));
            _members.Add(person);
        }

        /// <summary>Members added, or whose NIK, name or birth date changed (after the write: ids known).</summary>
        public IEnumerable<Person> IdentityChanged()
        {
            foreach (var person in _added)
            {
                yield return person;
            }
            foreach (var before in _beforeMembers)
            {
                if (_members.FirstOrDefault(p => p.Id == before.Id) is { } after
                    && (after.Nik != before.Nik || after.Nama != before.Nama || after.TanggalLahir != before.TanggalLahir))
                {
                    yield return after;
                }
            }
        }

        /// <summary>The tracked rows of the members merged away (deleted before the other writes).</summary>
        public IEnumerable<Person> MergedAway(IEnumerable<Person> tracked) => tracked.Where(p => _mergedAway.Any(m => m.Person.Id == p.Id));

        private void ApplySplit(SplitOff split)
        {
            var error = NoKk.TryParse(split.NewNoKk, out var noKk, out _);
            if (error is not null)
            {
                Problems.Add(RegistryProblem.Of(null, "NO_KK", Shown(split.NewNoKk), error));
                return;
            }
            if (noKk == _family.NoKk || split.PersonIds.Count == 0)
            {
                Problems.Add(RegistryProblem.Of(null, "NO_KK", noKk, "SPLIT_EMPTY"));
                return;
            }
            foreach (var id in split.PersonIds)
            {
                if (Member(id, "NO_KK") is { } person)
                {
                    _splitIds.Add(person.Id);
                }
            }
            _splitNoKk = noKk;
        }

        /// <summary>Keys that must stay unique: a NIK given to a member, the new NO_KK of a pecah KK.</summary>
        public async Task CheckNewKeysAsync(TuntasDb db, CancellationToken cancellationToken)
        {
            var originals = _beforeMembers.ToDictionary(p => p.Id);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var person in _members)
            {
                if (!seen.Add(person.Nik))
                {
                    Problems.Add(RegistryProblem.Of(person.Id == 0 ? null : person.Id, "NIK", Nik.Mask(person.Nik), "NIK_DUPLICATE", "-"));
                    continue;
                }
                var changed = person.Id == 0 || !originals.TryGetValue(person.Id, out var original) || original.Nik != person.Nik;
                if (changed && niksTaken.TryGetValue(person.Nik, out var holder) && (holder != _family.Id || _beforeMembers.All(p => p.Nik != person.Nik)))
                {
                    var kk = await db.Families.AsNoTracking().Where(f => f.Id == holder).Select(f => f.NoKk).SingleAsync(cancellationToken);
                    Problems.Add(RegistryProblem.Of(person.Id == 0 ? null : person.Id, "NIK", Nik.Mask(person.Nik), "NIK_OTHER_FAMILY", NoKk.Mask(kk)));
                }
            }
            if (_splitNoKk is { } noKk && await db.Families.AnyAsync(f => f.NoKk == noKk, cancellationToken))
            {
                Problems.Add(RegistryProblem.Of(null, "NO_KK", NoKk.Mask(noKk), "NO_KK_TAKEN", NoKk.Mask(noKk)));
            }
            if (IsNew && await db.Families.AnyAsync(f => f.NoKk == _family.NoKk, cancellationToken))
            {
                Problems.Add(RegistryProblem.Of(null, "NO_KK", NoKk.Mask(_family.NoKk), "NO_KK_TAKEN", NoKk.Mask(_family.NoKk)));
            }
        }

        /// <summary>The family as a whole: exactly one living head (unless no one is left), HAMIL only for women.</summary>
        public void CheckFamily()
        {
            if (IsNew && !_members.Any(p => p.IsAlive))
            {
                Problems.Add(RegistryProblem.Of(null, "HUBUNGAN_KK", null, "FAMILY_NO_HEAD", _family.NoKk));
            }
            CheckHeads([.. _members.Where(p => !_splitIds.Contains(p.Id))], _family.NoKk);
            if (_splitNoKk is { } noKk)
            {
                CheckHeads([.. _members.Where(p => _splitIds.Contains(p.Id))], noKk);
            }
            foreach (var person in _members.Where(p => p.Hamil == true && p.JenisKelamin != 2))
            {
                Problems.Add(RegistryProblem.Of(person.Id == 0 ? null : person.Id, "HAMIL", "1", "HAMIL_MALE"));
            }
        }

        private void CheckHeads(List<Person> members, string noKk)
        {
            var living = members.Where(p => p.IsAlive).ToList();
            var heads = living.Count(p => p.HubunganKk == 1);
            if (living.Count > 0 && heads == 0)
            {
                Problems.Add(RegistryProblem.Of(null, "HUBUNGAN_KK", null, "FAMILY_NO_HEAD", noKk));
            }
            else if (heads > 1)
            {
                Problems.Add(RegistryProblem.Of(null, "HUBUNGAN_KK", "1", "FAMILY_TWO_HEADS", noKk, "-"));
            }
        }

        /// <summary>Copies the validated values onto the tracked rows (EF writes only what differs) and adds new rows.</summary>
        public void CopyOnto(Family family, IEnumerable<Person> tracked, DateTime now, TuntasDb db)
        {
            var changed = false;
            foreach (var column in RegistryColumns.Family.Where(c => c.Import is not null))
            {
                if (!Equals(column.Get(family), column.Get(_family)))
                {
                    if (column.Import == "DESIL_NASIONAL")
                    {
                        family.DesilNasionalTanggal = _family.DesilNasional is null ? null : context.Today;
                    }
                    column.Set(family, column.Get(_family));
                    changed = true;
                }
            }
            var byId = _members.Where(p => p.Id != 0).ToDictionary(p => p.Id);
            foreach (var person in tracked)
            {
                if (!byId.TryGetValue(person.Id, out var copy))
                {
                    changed = true; // merged away: removed before
                    continue;
                }
                var personChanged = false;
                foreach (var column in RegistryColumns.Person.Where(c => c.Import is not null || c.Sql is "status_hidup" or "status_tanggal" or "pindah_ke" or "nama_kunci" or "nik_sementara"))
                {
                    if (!Equals(column.Get(person), column.Get(copy)))
                    {
                        column.Set(person, column.Get(copy));
                        personChanged = true;
                    }
                }
                if (personChanged)
                {
                    person.StatusSumber = person.StatusHidup != _beforeMembers.First(p => p.Id == person.Id).StatusHidup ? source : person.StatusSumber;
                    person.RowHash = RegistryFields.PersonHash(person);
                    person.UpdatedAt = now;
                    changed = true;
                }
            }
            foreach (var (person, _) in _restored)
            {
                person.UpdatedAt = now;
                person.RowHash = RegistryFields.PersonHash(person);
                db.Persons.Add(person);
                changed = true;
            }
            foreach (var person in _added)
            {
                person.CreatedAt = now;
                person.UpdatedAt = now;
                person.RowHash = RegistryFields.PersonHash(person);
                if (IsNew)
                {
                    family.Persons.Add(person); // the family's id is known once both rows are inserted
                }
                else
                {
                    person.FamilyId = family.Id;
                    db.Persons.Add(person);
                }
                changed = true;
            }
            if (IsNew)
            {
                family.CreatedAt = now;
                db.Families.Add(family);
                _created = family;
            }
            if (_splitNoKk is { } noKk)
            {
                var split = CloneFamily(family);
                split.Id = 0;
                split.NoKk = noKk;
                split.NoKkSementara = noKk[0] == '0';
                split.Version = 1;
                split.CreatedAt = now;
                split.UpdatedAt = now;
                split.RowHash = RegistryFields.FamilyHash(split);
                foreach (var person in tracked.Where(p => _splitIds.Contains(p.Id)))
                {
                    split.Persons.Add(person);
                    person.UpdatedAt = now;
                }
                db.Families.Add(split);
                _splitFamily = split;
                changed = true;
            }
            if (_verified is not null)
            {
                family.VerifiedAt = context.Today;
                changed = true;
            }
            if (changed)
            {
                family.RowHash = RegistryFields.FamilyHash(family);
                family.UpdatedAt = now;
                family.Version++;
                _written = true;
            }
        }

        private bool _written;
        private Family? _created;

        /// <summary>The family row changed (CopyOnto raised its version).</summary>
        public bool Written => _written;

        /// <summary>The family row as read, before the edits.</summary>
        public Family Before => _before;

        /// <summary>The history lines of this family (and of the family a pecah KK made), after the ids are known.</summary>
        public List<FamilyChange> History(ChangeStamp stamp, long version)
        {
            var lines = new List<FamilyChange>();
            if (!_written)
            {
                return lines;
            }
            if (_created is { } created)
            {
                // As a file import registers a family: one KELUARGA_BARU line (DCI REGISTER notifications follow it).
                lines.Add(RegistryHistory.Line(stamp, created.Id, null, "KELUARGA_BARU", null, created.NoKk, version));
                if (_verified is { } visited)
                {
                    lines.Add(RegistryHistory.Line(stamp, created.Id, null, "VERIFIKASI", null, visited, version));
                }
                return lines;
            }
            var familyId = _before.Id;
            RegistryHistory.Diff(RegistryColumns.Family, _before, _family, familyId, null, stamp, version, lines);
            foreach (var before in _beforeMembers)
            {
                if (_members.FirstOrDefault(p => p.Id == before.Id) is not { } after)
                {
                    var (gone, keptNik, note) = _mergedAway.First(m => m.Person.Id == before.Id);
                    lines.Add(RegistryHistory.Line(stamp, familyId, gone.Id, "DUPLIKAT_DIGABUNG", gone.Nama + " " + Nik.Mask(gone.Nik), "digabung ke " + Nik.Mask(keptNik) + " (" + note + ")", version));
                    continue;
                }
                RegistryHistory.Diff(RegistryColumns.Person, before, after, familyId, after.Id, stamp, version, lines);
                RegistryHistory.DiffLife(before, after, familyId, stamp, version, lines);
            }
            foreach (var person in _added)
            {
                lines.Add(RegistryHistory.Line(stamp, familyId, person.Id, "ANGGOTA_BARU", null, person.Nama, version));
            }
            foreach (var (person, note) in _restored)
            {
                lines.Add(RegistryHistory.Line(stamp, familyId, person.Id, "BATAL_GABUNG", null, person.Nama + " " + Nik.Mask(person.Nik) + " (" + note + ")", version));
            }
            if (_splitFamily is { } split)
            {
                lines.Add(RegistryHistory.Line(stamp, familyId, null, "PECAH_KK", null, "KK baru " + split.NoKk, version));
                lines.Add(RegistryHistory.Line(stamp, split.Id, null, "KELUARGA_BARU", null, split.NoKk, split.Version));
                foreach (var person in _members.Where(p => _splitIds.Contains(p.Id)))
                {
                    lines.Add(RegistryHistory.Line(stamp, familyId, person.Id, "ANGGOTA_KELUAR", person.Nama, "pindah ke KK " + split.NoKk, version));
                    lines.Add(RegistryHistory.Line(stamp, split.Id, person.Id, "ANGGOTA_MASUK", "pindah dari KK " + _before.NoKk, person.Nama, split.Version));
                }
            }
            if (_verified is { } outcome)
            {
                lines.Add(RegistryHistory.Line(stamp, familyId, null, "VERIFIKASI", null, outcome, version));
            }
            return lines;
        }
    }
}
