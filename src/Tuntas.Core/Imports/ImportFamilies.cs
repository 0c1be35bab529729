using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Tuntas.Imports.Profiles;
using Tuntas.Imports.Tabular;
using Tuntas.Linkage;
using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Imports;

/// <summary>
/// Imports families and their members from a CSV or XLSX file in the registry import format (docs/import-format.md).
///
/// Validation is complete before anything is written (pass 1 reads the whole file); a file with any error writes
/// nothing. Writing (pass 2) happens in ONE transaction under an exclusive import lock, so a killed process leaves the
/// database as it was and two concurrent imports of one file run one after the other (the second finds everything
/// unchanged). Re-importing the same file changes nothing (row hashes); a corrected file updates only the changed
/// families and persons and records each change — who, when, source file, old → new — in the family's history.
/// The file is streamed: memory holds per-family and per-NIK keys, never the file.
/// </summary>
public sealed class ImportFamilies(TuntasDatabase database, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    private TuntasDatabase Database => database;
    private TimeProvider Clock => clock;

    private RegencyOptions Regency => RegencyOptions.Of(regency);

    /// <summary>
    /// PostgreSQL plans from statistics that autovacuum gathers only some time after a bulk load; until then a name
    /// search right after the first import falls back to a slow plan (measured 90 ms instead of 7 ms, docs/benchmarks.md).
    /// The import waits for the statistics of the columns lookups and joins go by (those of the indexes and foreign keys):
    /// 0.25 s for a million persons, where all 80 columns of the three tables took 0.6 s. Autovacuum analyses the rest
    /// within a minute (<see cref="BulkWriteSteps.AnalyzeAsync"/>). Only after a file large beside the registry.
    /// </summary>
    private async Task RefreshPlannerStatisticsAsync(DbConnection connection, ImportReport report, CancellationToken cancellationToken)
    {
        // A file small beside the registry (a village's: KeysOfFileOnly) adds at most an eighth of it. The statistics the
        // planner has still describe the registry, and autovacuum refreshes them by its own measure (10 % of a table
        // changed); analysing after each of a regency's 200 village files took 0.15-0.3 s a file.
        if (report.Families.Added + report.Persons.Added == 0 || report.KeysOfFileOnly)
            return;
        try
        {
            await database.AnalyzeAsync(connection, null, ["families", "persons", "family_changes"], cancellationToken, keyColumnsOnly: true);
        }
        catch (DbException)
        {
            // The import is committed; statistics are an optimisation that autovacuum will also gather later.
        }
    }

    /// <param name="FilePath">CSV or XLSX on disk.</param>
    /// <param name="SourceName">File name as the user knows it (recorded in history and the report).</param>
    /// <param name="ChangedBy">User name recorded in the change history.</param>
    /// <param name="JobId">The ImportJob this run belongs to, recorded with each history line.</param>
    /// <param name="AllowMoves">Accept every NIK registered under another NO_KK as a move (as if PINDAH = 1 on each row).</param>
    /// <param name="RegionScope">The importing user's region (a village operator's village): rows of other villages are refused.</param>
    /// <param name="Profile">The file's layout (<see cref="ImportProfiles.Names"/>); detected from the header when null.</param>
    /// <param name="Village">The village of an OpenSID or DTKS file (which carries no village code), dotted or 10 digits;
    /// when empty, the village <paramref name="SourceName"/> carries, if any (<see cref="VillageInFileName"/>).</param>
    public sealed record Input(string FilePath, string SourceName, bool DryRun, string ChangedBy, long? JobId = null, bool AllowMoves = false, string? RegionScope = null,
        string? Profile = null, string? Village = null)
    {
        /// <summary>Read the whole registry's keys even for a small file: the reference a test compares the small file's
        /// lookups with (<see cref="RegistryKeys.ReadForFileAsync"/>).</summary>
        internal bool ReadsWholeRegistry { get; init; }
    }

    /// <summary>At most this many errors and warnings are listed; the counts are always complete.</summary>
    public const int MaxListedIssues = ImportReport.MaxListed;

    public async Task<ImportReport> RunAsync(Input input, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var report = new ImportReport { File = input.SourceName, DryRun = input.DryRun, JobId = input.JobId };
        try
        {
            // The page shows the phase from the start: hashing and loading a large registry take seconds before row 1.
            progress?.Report(new ImportProgress("membaca", 0, null));
            var fileHash = new FileHash(input.FilePath, cancellationToken);
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            // A second import waits for the first (up to 30 minutes) instead of failing with "database is locked", and
            // finds everything unchanged; a dry run only reads.
            await using var transaction = await database.BeginBulkLoadAsync(connection, LockKey.Registry, exclusive: !input.DryRun, cancellationToken);
            var run = new Run(this, input, report, connection, transaction, progress, fileHash);
            try
            {
                await run.ValidateAsync(cancellationToken);
            }
            catch
            {
                report.Sha256 = await fileHash.ValueOrNullAsync();
                throw;
            }
            if (report.ErrorCount > 0 || input.DryRun)
            {
                await RecordHashAsync(report, fileHash);
                await transaction.RollbackAsync(cancellationToken);
                return report;
            }
            await run.WriteAsync(cancellationToken);
            // Before the commit: a file that could not be read to its end writes nothing.
            await RecordHashAsync(report, fileHash);
            await transaction.CommitAsync(cancellationToken);
            report.Committed = true;
            // Committed: a cancellation from here on would make the report lie, so statistics are gathered regardless.
            await RefreshPlannerStatisticsAsync(connection, report, CancellationToken.None);
        }
        catch (TabularFormatException e)
        {
            Add(report, report.Errors, e.Issue);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            report.Failure = ImportMessages.Issue(0, null, null, "FILE_UNREADABLE", e.Message).Message;
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            report.Failure = ImportMessages.Issue(0, null, null, "DATABASE", e.Message).Message;
        }
        catch (OperationCanceledException)
        {
            report.Failure = ImportMessages.Issue(0, null, null, "CANCELLED").Message;
        }
        catch (Exception e)
        {
            // The transaction was rolled back by its disposal: nothing is half-written. Say so, without a stack trace.
            report.Failure = ImportMessages.Issue(0, null, null, "UNEXPECTED", e.GetType().Name + ": " + e.Message).Message;
        }
        return report;
    }

    /// <summary>Records the file's hash in the report; a file that could not be read to its end fails the import, as a
    /// failed read in pass 1 would.</summary>
    private static async Task RecordHashAsync(ImportReport report, FileHash fileHash)
    {
        report.Sha256 = await fileHash.ValueOrNullAsync();
        if (report.Sha256 is null)
        {
            await fileHash.Value;
        }
    }

    /// <summary>
    /// The SHA-256 of the import's file (recorded with its job), read on a thread of its own when a core is free for it:
    /// beside pass 1 when pass 1 runs alone (a whole read of the file before pass 1 cost ≈ 0.5 s a million persons), but
    /// after pass 1 when a first load streams its rows to the database while pass 1 parses them. Both cores are busy
    /// then (the parser, the writer and PostgreSQL's COPY or SQLite's inserts), and the hash, 0.2 CPU-seconds a million
    /// persons, took its share of them; after the last row the client only waits for the index builds.
    /// </summary>
    private sealed class FileHash(string path, CancellationToken cancellationToken)
    {
        private readonly Lazy<Task<string>> _hash = new(() => Task.Run(() => Sha256Async(path, cancellationToken), cancellationToken));

        /// <summary>Starts reading the file, once.</summary>
        public void Start() => _ = _hash.Value;

        public Task<string> Value => _hash.Value;

        /// <summary>The hash, or null when the file could not be read (the caller reports the import's own failure).</summary>
        public Task<string?> ValueOrNullAsync() => Value.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);

        private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }
    }

    /// <summary>Limits a read of <paramref name="table"/> (families or persons, a command without a WHERE yet) to one
    /// village's rows through <c>families.kode_desa</c>'s index; the same SQL on SQLite and PostgreSQL.</summary>
    /// <param name="village">Dotted (33.14.01.2001), as <c>kode_desa</c> holds it.</param>
    internal static void InVillage(DbCommand command, string table, string village)
    {
        command.CommandText += table == "families" ? " WHERE kode_desa = @village" : " WHERE family_id IN (SELECT id FROM families WHERE kode_desa = @village)";
        command.AddParameter("@village", village);
    }

    private static void Add(ImportReport report, List<ImportIssue> list, ImportIssue issue) =>
        report.Record(issue, error: ReferenceEquals(list, report.Errors));

    /// <summary>What pass 1 decided for one row, read again by pass 2.</summary>
    [Flags]
    private enum RowAction : byte
    {
        None = 0,
        InsertFamily = 1,
        UpdateFamily = 2,
        InsertPerson = 4,
        UpdatePerson = 8,
    }

    private sealed class Run(ImportFamilies owner, Input input, ImportReport report, DbConnection connection, DbTransaction transaction, IProgress<ImportProgress>? progress,
        FileHash fileHash)
    {
        private readonly TuntasDatabase _database = owner.Database;
        private readonly DateTime _now = owner.Clock.GetUtcNow().UtcDateTime;
        // Birth dates are judged against the date in Indonesia (WIB, UTC+7), not the server's time zone.
        private readonly DateOnly _today = owner.Regency.Today(owner.Clock);
        private readonly FileFamilies _families = new(FamilyFileLayout.FamilyRules.Count, ExpectedRows(input.FilePath) / 3);

        /// <summary>
        /// About how many persons the file holds, to size the file's NIK and KK tables once: a row of the import
        /// format is 150–250 bytes, so a file's length over 160 errs high, never by more than a few megabytes of table.
        /// Grown from empty, a million-person file's tables were copied eleven times over (docs/benchmarks.md, "The CSV
        /// reader a run at a time"). A packed XLSX holds more rows per byte; its tables still grow as they fill.
        /// </summary>
        private static int ExpectedRows(string path) =>
            (int)Math.Clamp(new FileInfo(path).Length / 160, 1024, 4_000_000);
        private RegistryKeys _registry = new();
        private TemporaryNikReplacements _temporaryNiks = new();
        private RegisteredLifeStatuses _lifeStatuses = new();

        /// <summary>For an import limited to a region (a village operator): the registry's families inside it (a village's
        /// few hundred, not the regency's). A move (PINDAH) out of any other family is refused: it would take a person
        /// from another village without that village seeing it first.</summary>
        private readonly HashSet<long> _familiesInScope = [];
        private RowAction[] _actions = new RowAction[1 << 16];

        /// <summary>A partial file (docs/import-profiles.md) updates only the columns it carries: the registry's value
        /// hashes of the columns it leaves out, per family id and per person id, so that an existing row is compared on
        /// its merged value without reading it back. Empty when the file carries every column.</summary>
        private readonly Dictionary<long, int[]> _absentFamilyHashes = [];
        private readonly Dictionary<long, int[]> _absentPersonHashes = [];
        private IReadOnlyList<int> _absentFamily = [];
        private readonly ProfileContext _openSid = new(input.Village, input.SourceName) { VillageAllowed = ProfileContext.Within(input.RegionScope) };
        private IReadOnlyDictionary<string, string>? _sourceColumns;

        /// <summary>Opens the file in its profile (pass 1 detects it, pass 2 reads it the same way).</summary>
        private TabularReader OpenFile()
        {
            var opened = ImportProfiles.Open(input.FilePath, report.Profile ?? input.Profile, _openSid);
            report.Profile = opened.Profile;
            report.Sheet = opened.Sheet.Length == 0 ? null : opened.Sheet;
            report.Village = opened.Profile is ImportProfiles.OpenSidPenduduk or ImportProfiles.OpenSidDtks ? _openSid.Village : null;
            _sourceColumns = (opened.Reader as ProfileReader)?.SourceColumns;
            _nikKecamatan ??= report.Village is { } village ? new NikKecamatanCheck(village, _openSid.VillageFromFileName, input.SourceName) : null;
            return opened.Reader;
        }

        /// <summary>A village's file whose village is given from outside it (OpenSID's, the DTKS's): its Dukcapil NIKs by
        /// the kecamatan that issued them (<see cref="CheckNikKecamatanOfFileAsync"/>). Null otherwise.</summary>
        private NikKecamatanCheck? _nikKecamatan;

        /// <summary>Families whose head the file records as not living: the first such head's row and status, for
        /// HEAD_NOT_LIVING once the file is read.</summary>
        private readonly Dictionary<int, (long Row, int Status)> _headsNotLiving = [];

        /// <summary>Registered living persons this file records as died, moved or missing (row, person id, status): their
        /// open enrollments in person programs are named (<see cref="WarnEnrolledNotLivingAsync"/>).</summary>
        private readonly List<(long Row, long PersonId, int Status)> _newlyNotLiving = [];

        /// <summary>Registered families a person of the file moves out of (PINDAH, or moves allowed).</summary>
        private readonly HashSet<long> _movedOutOf = [];

        /// <summary>A finding in the file's own words: an OpenSID file's column names, not the Tuntas ones, both in its
        /// column and in its message ("no head (kk_level = 1)" rather than HUBUNGAN_KK, which that file does not have).</summary>
        private ImportIssue InFileTerms(ImportIssue issue)
        {
            if (_sourceColumns is null)
            {
                return issue;
            }
            if (issue.Column is not null && _sourceColumns.TryGetValue(issue.Column, out var source))
            {
                issue = issue.Code == "COLUMN_MISSING" ? ImportMessages.Issue(issue.Row, source, null, "COLUMN_MISSING", source) : issue with { Column = source };
            }
            return issue with { Message = InFileColumnNames(issue.Message), MessageEn = InFileColumnNames(issue.MessageEn) };
        }

        /// <summary>Tuntas column names in a message replaced by the file's (<see cref="ProfileReader.SourceColumns"/>). NIK
        /// and NO_KK stay: they name the identifiers themselves, as every user says them, whatever the file's header. So does
        /// a column the file has no cell for (the village from <c>--village</c>, a NIK looked up in the registry).</summary>
        private string InFileColumnNames(string message)
        {
            foreach (var (column, source) in _sourceColumns!)
            {
                if (column is "NIK" or "NO_KK" || source.StartsWith('-') || source.Contains(' ', StringComparison.Ordinal)
                    || string.Equals(column, source, StringComparison.Ordinal) || !message.Contains(column, StringComparison.Ordinal))
                {
                    continue;
                }
                message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b{column}\b", source.Replace("$", "$$", StringComparison.Ordinal),
                    System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            }
            return message;
        }

        /// <summary>The disability codes of the persons of an OpenSID file's village (<see cref="ProfileContext.RegisteredDisability"/>):
        /// the registry requires the field, so an empty <c>cacat_id</c> is given the registry's code by the layout
        /// rather than kept by <see cref="KeepRules"/>, which sees only the 0 a new person would get. And their
        /// occupations as held (<see cref="ProfileContext.RegisteredOccupation"/>).</summary>
        private async Task PreloadRegisteredDisabilitiesAsync(CancellationToken cancellationToken)
        {
            if (report.Profile != ImportProfiles.OpenSidPenduduk || _openSid.Village is null || !_registry.HasPersons)
            {
                return;
            }
            var disabilities = new Dictionary<string, string>(StringComparer.Ordinal);
            var occupations = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT nik, disabilitas, pekerjaan FROM persons";
            OnlyTheFilesVillage(command, "persons");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                disabilities[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                if (!reader.IsDBNull(2) && reader.GetString(2) is { Length: > 0 } pekerjaan)
                {
                    occupations[reader.GetString(0)] = pekerjaan;
                }
            }
            // Every person of the village has a disability code: a NIK without one here is not of the village.
            _openSid.RegisteredDisability = nik => disabilities.GetValueOrDefault(nik) ?? RegisteredElsewhere(nik)?.Disability;
            _openSid.RegisteredOccupation = nik => occupations.GetValueOrDefault(nik) ?? (disabilities.ContainsKey(nik) ? null : RegisteredElsewhere(nik)?.Occupation);
        }

        /// <summary>What the registry holds of a person of another village that the file names (a family moving in, a
        /// person moved with <c>PINDAH</c> or moves allowed), read once per person when the layout first asks.</summary>
        private readonly Dictionary<long, (string Disability, string? Occupation, bool NeverSchooled)?> _elsewhere = [];

        /// <summary>
        /// The registry's disability code, occupation and whether it holds the person as never schooled, for a NIK it
        /// holds outside the file's village (null for one it does not hold). The preloads read the file's village only
        /// (a village's file on a regency of a million reads thousands of rows), so an empty cell of a person moving in
        /// was read as "none": a regency's import of a family that moved village erased its members' disability codes,
        /// and turned an occupation or a never-schooled education into the file's coarser spelling (a review). Few
        /// persons of a file are of another village: one indexed read each.
        /// </summary>
        private (string Disability, string? Occupation, bool NeverSchooled)? RegisteredElsewhere(string nik)
        {
            if (!long.TryParse(nik, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || !_registry.TryGetPerson(key, out var person))
            {
                return null;
            }
            if (_elsewhere.TryGetValue(person.Id, out var known))
            {
                return known;
            }
            (string, string?, bool)? found = null;
            OnConnection(() =>
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT disabilitas, pekerjaan, pendidikan FROM persons WHERE id = @id";
                command.AddParameter("@id", person.Id);
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    found = (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                        reader.IsDBNull(1) || reader.GetString(1).Length == 0 ? null : reader.GetString(1),
                        Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture) == 1);
                }
            });
            _elsewhere[person.Id] = found;
            return found;
        }

        /// <summary>Temporary NIKs the registry already gave (kept on re-import). Those of every village, not only the file's:
        /// a family that moved in from another village keeps its member's temporary NIK, which carries the old village's
        /// code. Read from the file's village only, the member got a second temporary NIK and was registered twice in
        /// the same family (a user's test).</summary>
        private async Task PreloadTemporaryNiksAsync(CancellationToken cancellationToken)
        {
            if (report.Profile != ImportProfiles.OpenSidPenduduk || _openSid.Village10 is null)
            {
                return;
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // In id order: where one person was already given two temporary NIKs (before a move kept them), the first
            // given is kept, the same on both databases and on every run.
            command.CommandText = "SELECT p.nik, f.no_kk, p.nama, p.tanggal_lahir FROM persons p JOIN families f ON f.id = p.family_id WHERE p.nik LIKE @prefix ORDER BY p.id";
            command.AddParameter("@prefix", "0%");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                _openSid.Known(reader.GetString(0), reader.GetString(1), reader.GetString(2), (DateOnly?)RegistryRows.ReadValue(reader, 3, ColumnKind.Date));
            }
        }
        /// <summary>The NIKs of a DTKS workbook's village whose education the registry holds as 1, tidak/belum sekolah
        /// (<see cref="ProfileContext.RegisteredNeverSchooled"/>).</summary>
        private async Task PreloadNeverSchooledAsync(CancellationToken cancellationToken)
        {
            if (report.Profile != ImportProfiles.OpenSidDtks || _openSid.Village is not { } village || !_registry.HasPersons)
            {
                return;
            }
            // The village's other persons are not looked up one by one (every pupil's 415 is 23): only a person of another village.
            var (neverSchooled, ofVillage) = await RegisteredNeverSchooled.LoadWithVillageAsync(connection, transaction, village, cancellationToken);
            _openSid.RegisteredNeverSchooled = nik => neverSchooled.Contains(nik) || (!ofVillage.Contains(nik) && RegisteredElsewhere(nik)?.NeverSchooled == true);
        }

        /// <summary>
        /// A BDT 2015 file names persons by NIK only: each row takes its family's NO_KK and village from the registry
        /// (<see cref="ProfileContext.Registered"/>), and a scoped import sees only its own area's persons,
        /// so a NIK registered elsewhere reads as not registered and tells the importer nothing more.
        /// </summary>
        private async Task PreloadRegisteredPlacesAsync(CancellationToken cancellationToken)
        {
            if (report.Profile != ImportProfiles.Bdt2015)
            {
                return;
            }
            var villages = new Dictionary<long, string>();
            var interned = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id, kode_desa FROM families";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var village = reader.GetString(1);
                    villages[reader.GetInt64(0)] = interned.TryGetValue(village, out var same) ? same : interned[village] = village;
                }
            }
            var scoped = input.RegionScope is { Length: > 0 };
            _openSid.Registered = nik =>
                long.TryParse(nik, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _registry.TryGetPerson(key, out var person)
                && (!scoped || _familiesInScope.Contains(person.FamilyId))
                && villages.TryGetValue(person.FamilyId, out var village) && _registry.NoKkOf(person.FamilyId) is { } noKk
                    ? new Bdt2015Layout.Place(noKk, village) : null;
        }

        private IReadOnlyList<int> _absentPerson = [];
        private bool _absentName;

        /// <summary>
        /// Where a profile's value says nothing the registry's does not, the registry's value stays: per column its rule
        /// (<see cref="KeepRules"/>), its registry column, its place among the family columns (families only); and the
        /// registry's values of those columns.
        /// </summary>
        private (int Index, RegistryColumn<Family> Column, Func<object?, object?, bool> Keeps)[] _familyKeeps = [];
        private (RegistryColumn<Person> Column, Func<object?, object?, bool> Keeps)[] _personKeeps = [];
        private readonly Dictionary<long, object?[]> _familyKeptValues = [];
        private readonly Dictionary<long, object?[]> _personKeptValues = [];

        /// <summary>
        /// The rule of each column a profile's values may leave at the registry's (file value, registry value → keep):
        /// a coarse code over one of the finer values it stands for (<see cref="ProfileReader.Folds"/>; docs/import-profiles.md,
        /// "Coarser codes"), an empty cell (<see cref="ProfileReader.KeptWhenEmpty"/>), the same text in another case
        /// (<see cref="ProfileReader.SameIgnoringCase"/>).
        /// </summary>
        private static Dictionary<string, Func<object?, object?, bool>> KeepRules(ProfileReader profile)
        {
            var rules = new Dictionary<string, Func<object?, object?, bool>>(StringComparer.Ordinal);
            void Add(string column, Func<object?, object?, bool> rule) =>
                rules[column] = rules.TryGetValue(column, out var before) ? (file, registry) => before(file, registry) || rule(file, registry) : rule;
            foreach (var (column, classes) in profile.Folds)
            {
                Add(column, (file, registry) => file is int value && registry is int kept && kept != value
                    && classes.TryGetValue(value, out var values) && values.Contains(kept));
            }
            foreach (var (column, values) in profile.KeptWhenEmpty)
            {
                Add(column, (file, registry) => file is null or "" && registry is not null && values(registry));
            }
            foreach (var column in profile.SameIgnoringCase)
            {
                Add(column, (file, registry) => file is string text && registry is string kept && text != kept
                    && string.Equals(text, kept, StringComparison.OrdinalIgnoreCase));
            }
            return rules;
        }

        /// <summary>The registry's values of the columns a profile's rules may keep (one scan per table, only those
        /// columns, only for such a profile over a registry that is not empty).</summary>
        private async Task PreloadKeptValuesAsync(TabularReader reader, CancellationToken cancellationToken)
        {
            if (reader is not ProfileReader profiled || !_registry.HasPersons)
            {
                return;
            }
            var carried = reader.Header.Select(h => h.Trim().ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
            var kept = KeepRules(profiled).Where(f => carried.Contains(f.Key)).ToList();
            _familyKeeps = [.. kept.Select(f => (Index: FamilyFileLayout.FamilyRules.ToList().FindIndex(r => r.Column == f.Key), f.Key, f.Value))
                .Where(f => f.Index >= 0).Select(f => (f.Index, FamilyFileLayout.FamilyColumn(f.Key), f.Value))];
            _personKeeps = [.. kept.Select(f => (Column: FamilyFileLayout.PersonColumn(f.Key), f.Value)).Where(f => f.Column is not null).Select(f => (f.Column!, f.Value))];
            if (_familyKeeps.Length > 0)
            {
                await ReadKeptAsync("families", [.. _familyKeeps.Select(f => (f.Column.Sql, f.Column.Kind))], _familyKeptValues, cancellationToken);
            }
            if (_personKeeps.Length > 0)
            {
                await ReadKeptAsync("persons", [.. _personKeeps.Select(f => (f.Column.Sql, f.Column.Kind))], _personKeptValues, cancellationToken);
            }
        }

        /// <summary>
        /// Narrows a read of the registry's rows to the village of a file of one village (OpenSID's, the DTKS's), through
        /// its index: a village's file on a regency of a million persons reads thousands of rows, not the whole table. A
        /// person the file names from another village is a move and a family from another village a change of village:
        /// both are updates, whose columns the file leaves out are taken from the row itself when written.
        /// </summary>
        private void OnlyTheFilesVillage(DbCommand command, string table)
        {
            if (report.Profile is not (ImportProfiles.OpenSidPenduduk or ImportProfiles.OpenSidDtks) || _openSid.Village is not { } village)
            {
                return;
            }
            InVillage(command, table, village);
        }

        /// <summary>Reads the registry's values of <paramref name="columns"/> (of the file's village only: <see cref="OnlyTheFilesVillage"/>).</summary>
        private async Task ReadKeptAsync(string table, IReadOnlyList<(string Sql, ColumnKind Kind)> columns, Dictionary<long, object?[]> into, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT id, {string.Join(", ", columns.Select(c => c.Sql))} FROM {table}";
            OnlyTheFilesVillage(command, table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new object?[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    values[i] = RegistryRows.ReadValue(reader, i + 1, columns[i].Kind);
                }
                into[reader.GetInt64(0)] = values;
            }
        }

        /// <summary>The family's column hashes with each kept column at the registry's value; the file's own hashes
        /// otherwise (they also judge FAMILY_CONFLICT between rows, as the file has them).</summary>
        private int[] KeptFamilyHashes(long familyId, Family family, int[] fileHashes)
        {
            if (_familyKeeps.Length == 0 || !_familyKeptValues.TryGetValue(familyId, out var registry))
            {
                return fileHashes;
            }
            int[]? kept = null;
            for (var k = 0; k < _familyKeeps.Length; k++)
            {
                var (index, column, keeps) = _familyKeeps[k];
                if (keeps(column.Get(family), registry[k]))
                {
                    kept ??= (int[])fileHashes.Clone();
                    kept[index] = RegistryColumns.ValueHash(registry[k]);
                }
            }
            return kept ?? fileHashes;
        }

        /// <summary>Sets each kept column of a person to the registry's value where its rule says so.</summary>
        private void KeepPerson(long personId, Person person)
        {
            if (_personKeeps.Length == 0 || !_personKeptValues.TryGetValue(personId, out var registry))
            {
                return;
            }
            for (var k = 0; k < _personKeeps.Length; k++)
            {
                var (column, keeps) = _personKeeps[k];
                if (keeps(column.Get(person), registry[k]))
                {
                    column.Set(person, registry[k]);
                }
            }
        }

        /// <summary>The same for a changed row about to be written, against its old row.</summary>
        private static void KeepFromOld<T>(IEnumerable<(RegistryColumn<T> Column, Func<object?, object?, bool> Keeps)> keeps, T row, T old)
        {
            foreach (var (column, rule) in keeps)
            {
                if (rule(column.Get(row), column.Get(old)))
                {
                    column.Set(row, column.Get(old));
                }
            }
        }

        /// <summary>The family columns that describe where in its village a family lives.</summary>
        private static readonly HashSet<string> _addressColumns = new(StringComparer.Ordinal) { "ALAMAT", "RT", "RW", "LINTANG", "BUJUR" };

        private static readonly RegistryColumn<Person>[] _personImportColumns = [.. RegistryColumns.Person.Where(c => c.Import is not null)];
        private long _rows;
        private long _maxFamilyId;
        private long _maxPersonId;
        private long _rowsToWrite;

        public async Task ValidateAsync(CancellationToken cancellationToken)
        {
            var villages = new KnownVillages(connection, transaction, OnConnection);
            _openSid.VillageExists = villages.Contains;
            await PreloadRegistryAsync(cancellationToken);
            if (!FirstLoad)
            {
                fileHash.Start();
            }
            // NIK → the file row that first carries it (duplicates), also the file's NIK set (members not in the file).
            var nikRows = new LongIntMap(ExpectedRows(input.FilePath));
            var familiesWithBrokenRows = new HashSet<string>(StringComparer.Ordinal);
            var errors = new List<ImportIssue>();
            var warnings = new List<ImportIssue>();
            using var reader = OpenFile();
            // A first load is written as pass 1 parses it (StartStreamAsync): then pass 1 computes the name keys too.
            var parser = CreateParser(reader, villages.Contains, errors, computeNameKeys: FirstLoad);
            var fatal = parser.HasFatalHeaderError;
            if (reader is ProfileReader profiled)
            {
                foreach (var issue in profiled.HeaderIssues)
                {
                    var warning = ImportMessages.IsHeaderWarning(issue.Code);
                    (warning ? warnings : errors).Add(issue);
                    fatal |= !warning;
                }
            }
            Flush(errors, warnings);
            if (fatal)
            {
                return;
            }
            await PreloadTemporaryNiksAsync(cancellationToken);
            if (_registry.HasPersons && parser.CarriesIdentity)
            {
                _temporaryNiks = await TemporaryNikReplacements.LoadAsync(connection, transaction, cancellationToken);
                if (_openSid.Village10 is not null)
                {
                    // A temporary NIK is never given twice (OpenSID's serial goes on past the highest ever given), and an
                    // OpenSID row still without a NIK (0) of a person since given Dukcapil's gets the number they had.
                    // Those of every village: a family that moved in keeps its member's old village's number, as in
                    // PreloadTemporaryNiksAsync; only the file's village's own count for the next serial (ProfileContext.Known).
                    foreach (var before in _temporaryNiks.ReplacedBefore)
                    {
                        _openSid.Known(before.Temporary, before.NoKk, before.Name, before.BirthDate);
                    }
                }
            }
            if (_registry.HasPersons && parser.CarriesLifeStatus)
            {
                _lifeStatuses = await RegisteredLifeStatuses.LoadAsync(connection, transaction, cancellationToken);
            }
            await PreloadRegisteredDisabilitiesAsync(cancellationToken);
            await PreloadNeverSchooledAsync(cancellationToken);
            await PreloadRegisteredPlacesAsync(cancellationToken);
            await PreloadAbsentColumnsAsync(parser, cancellationToken);
            await PreloadKeptValuesAsync(reader, cancellationToken);
            var streaming = await StartStreamAsync(cancellationToken);
            try
            {
                await ValidateRowsAsync(reader, parser, nikRows, familiesWithBrokenRows, errors, warnings, streaming, cancellationToken);
                await FinishStreamAsync(write: report.ErrorCount == 0, cancellationToken);
            }
            catch
            {
                await AbortStreamAsync();
                throw;
            }
        }

        private async Task ValidateRowsAsync(TabularReader reader, FamilyRowParser parser, LongIntMap nikRows, HashSet<string> familiesWithBrokenRows,
            List<ImportIssue> errors, List<ImportIssue> warnings, bool streaming, CancellationToken cancellationToken)
        {
            progress?.Report(new ImportProgress("validasi", 0, null));
            var nextFamilyId = _maxFamilyId;
            var family = NewFamily();
            var person = NewPerson();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                TakeNotices(reader, warnings);
                _rows++;
                if (reader.RowIssues.Count > 0)
                {
                    // A cell the profile could not translate: its own finding, not a derived one on the empty cell left.
                    errors.AddRange(reader.RowIssues);
                    var translated = new List<ImportIssue>();
                    parser.Parse(reader, family, person, translated, warnings, FamilyOnly(parser, reader));
                    var columns = reader.RowIssues.Select(i => i.Column).ToHashSet(StringComparer.Ordinal);
                    errors.AddRange(translated.Where(i => !columns.Contains(InFileTerms(i).Column)));
                }
                if (errors.Count > 0 || !parser.Parse(reader, family, person, errors, warnings, FamilyOnly(parser, reader)))
                {
                    // A family with a broken row gets no derived "no head" error: the row's own error says it all.
                    if (parser.RawNoKk(reader) is { } brokenKk)
                    {
                        familiesWithBrokenRows.Add(brokenKk);
                    }
                    // Nor is its member "in the registry but not in the file": the row is there, with its own error.
                    if (parser.RawNik(reader) is { } brokenNik)
                    {
                        _niksOfBrokenRows.Add(brokenNik);
                    }
                    Flush(errors, warnings);
                    continue;
                }
                var row = reader.RowNumber;
                var noKk = long.Parse(family.NoKk, CultureInfo.InvariantCulture);
                var familyHash = parser.FamilyHash;
                RowAction action = RowAction.None;
                var familyOnly = FamilyOnly(parser, reader);

                if (familyOnly && !_families.Contains(noKk) && !_registry.ContainsFamily(noKk))
                {
                    // A family is registered with its members, never as an empty shell (docs/import-profiles.md).
                    errors.Add(ImportMessages.Issue(row, "NO_KK", family.NoKk, "FAMILY_NO_MEMBERS", family.NoKk));
                    Flush(errors, warnings);
                    continue;
                }
                if (input.RegionScope is { Length: > 0 } && !_families.Contains(noKk) && _registry.TryGetFamily(noKk, out var elsewhere)
                    && !_familiesInScope.Contains(elsewhere.Id))
                {
                    // A scoped import changes only the families of its own area: the row's KODE_DESA is the importer's
                    // word, the registry's village of the NO_KK decides (else a village could take another's family,
                    // then export it). All the importer learns is that the NO_KK exists elsewhere, which the refusal needs.
                    // Reported after the last row (ReportFamiliesOfOtherVillages): once for a file of another village.
                    _otherVillageRows.Add((row, noKk));
                    Flush(errors, warnings);
                    continue;
                }
                if (!_families.TryGet(noKk, out var state))
                {
                    if (_registry.TryGetFamily(noKk, out var existing))
                    {
                        var changed = existing.Hash != MergedFamilyHash(existing.Id, KeptFamilyHashes(existing.Id, family, parser.FamilyColumnHashes));
                        action |= changed ? RowAction.UpdateFamily : RowAction.None;
                        state = _families.Add(noKk, row, parser.FamilyColumnHashes, familyHash, existing.Id, exists: true, changed, familyOnly);
                    }
                    else
                    {
                        action |= RowAction.InsertFamily;
                        state = _families.Add(noKk, row, parser.FamilyColumnHashes, familyHash, ++nextFamilyId, exists: false, changed: false, familyOnly);
                        if (!RegionCode.IsWithin(family.KodeDesa, _regency))
                        {
                            var (first, count) = _outsideRegency.GetValueOrDefault(family.KodeDesa, (row, 0));
                            _outsideRegency[family.KodeDesa] = (first, count + 1);
                        }
                    }
                }
                else if (_families.Hash(state) != familyHash)
                {
                    var named = 0;
                    for (var i = 0; i < parser.FamilyColumnHashes.Length; i++)
                    {
                        if (_families.Differs(state, i, parser.FamilyColumnHashes[i]))
                        {
                            var column = FamilyFileLayout.FamilyRules[i].Column;
                            errors.Add(ImportMessages.Issue(row, column, RegistryColumns.Canonical(FamilyFileLayout.FamilyColumn(column).Get(family)), "FAMILY_CONFLICT", _families.FirstRow(state)));
                            named++;
                        }
                    }
                    if (named == 0)
                    {
                        // The differing column folded to its first row's byte (FileFamilies): the row is refused all the same.
                        errors.Add(ImportMessages.Issue(row, null, null, "FAMILY_CONFLICT", _families.FirstRow(state)));
                    }
                }
                if (familyOnly)
                {
                    SetAction(_rows, action);
                    _rowsToWrite += action != RowAction.None ? 1 : 0;
                    Flush(errors, warnings);
                    continue;
                }
                _families.HasMembers(state);
                var nik = long.Parse(person.Nik, CultureInfo.InvariantCulture);
                _nikKecamatan?.Count(nik);
                if (person.HubunganKk == 1)
                {
                    var previousHead = _families.HeadRow(state);
                    if (_families.AddHead(state, row, LivesAfterThisFile(nik, parser)) == 2)
                    {
                        errors.Add(ImportMessages.Issue(row, "HUBUNGAN_KK", "1", "FAMILY_TWO_HEADS", family.NoKk, previousHead));
                    }
                    if (parser.StatusHidup is { } headStatus and not LifeStatus.Hidup)
                    {
                        // Said once the whole file is read, and only if no row names a living head (_headsNotLiving).
                        _headsNotLiving.TryAdd(state, (row, headStatus));
                    }
                }

                if (!nikRows.TryAdd(nik, (int)row, out var firstNikRow))
                {
                    errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "NIK_DUPLICATE", (long)firstNikRow));
                }
                if (_temporaryNiks.ClaimedAtRow(nik) is { } claimedAt)
                {
                    // The file lists a registered temporary NIK after a row that gave its person the Dukcapil NIK.
                    errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "NIK_TEMPORARY_ALREADY_REPLACED", claimedAt));
                }
                if (_registry.TryGetPerson(nik, out var registered))
                {
                    var moved = !_families.Exists(state) || registered.FamilyId != _families.Id(state);
                    if (moved && !parser.Pindah && parser.StatusHidup is { } left && left != LifeStatus.Hidup && _families.Exists(state))
                    {
                        // The village's register keeps a person who moved out (or died after a move) under the KK they left,
                        // with status_dasar 3, as OpenSID exports them; the registry has them in their new family since. Read
                        // as a move, such a row refused every later file of the village (NIK_OTHER_FAMILY) or, with the move
                        // option, took the person back out of the new family — and the new village's file moved them again.
                        // The row says nothing about the person now: passed over, said, the new family not named. Only under a
                        // registered KK: a KK this file would register, all of whose members left, would be an empty shell.
                        warnings.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "PERSON_LEFT_REGISTERED_ELSEWHERE", LifeStatus.Code(left),
                            LifeStatus.English(left)));
                        report.Persons.Unchanged++;
                    }
                    else if (moved)
                    {
                        var from = _registry.NoKkOf(registered.FamilyId) ?? "?";
                        if ((parser.Pindah || input.AllowMoves) && input.RegionScope is { Length: > 0 } && !_familiesInScope.Contains(registered.FamilyId))
                        {
                            errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "PINDAH_OTHER_VILLAGE", NoKk.Mask(from)));
                        }
                        else if (parser.Pindah || input.AllowMoves)
                        {
                            warnings.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "PERSON_MOVE", NoKk.Mask(from)));
                            LifeStatusOfFile(row, nik, nik, registered.Status, parser, warnings);
                            action |= RowAction.UpdatePerson;
                            report.Persons.Updated++;
                            // Both families' members change, whatever their rows say: counted as updated in the report.
                            _movedOutOf.Add(registered.FamilyId);
                            if (_families.Exists(state))
                            {
                                _families.MembersChanged(state);
                            }
                        }
                        else
                        {
                            errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "NIK_OTHER_FAMILY", NoKk.Mask(from)));
                        }
                    }
                    else if (LifeStatusOfFile(row, nik, nik, registered.Status, parser, warnings) is var status
                        && (registered.Hash != KeptPersonHash(registered.Id, person) || (status is { } given && given != registered.Status)))
                    {
                        action |= RowAction.UpdatePerson;
                        report.Persons.Updated++;
                        NoteNotLiving(row, registered, status);
                    }
                    else
                    {
                        report.Persons.Unchanged++;
                    }
                }
                else if (!parser.CarriesIdentity)
                {
                    // A layout without name, sex, birth date and relationship (BDT 2015) updates registered persons only.
                    errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "PERSON_NOT_REGISTERED"));
                }
                else if (person.NikSementara && _temporaryNiks.ReplacedFor(nik) is { } replacedBefore)
                {
                    // The file is older than the registry: the person has Dukcapil's NIK now; a new person would be a copy.
                    errors.Add(ImportMessages.Issue(row, "NIK", person.Nik, "NIK_TEMPORARY_REPLACED_BEFORE", Nik.Mask(replacedBefore.Nik), replacedBefore.Name));
                }
                else if (_families.Exists(state) && _temporaryNiks.Find(_families.Id(state), person, row, nikRows) is { } replaced)
                {
                    if (replaced.ListedAtRow is { } listedAt)
                    {
                        // The temporary NIK's row came first: one person, listed under both numbers.
                        errors.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "NIK_TEMPORARY_LISTED_TOO", Nik.Mask(replaced.TemporaryNik), listedAt));
                    }
                    else
                    {
                        action |= RowAction.UpdatePerson;
                        report.Persons.Updated++;
                        warnings.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), "NIK_TEMPORARY_REPLACED", Nik.Mask(replaced.TemporaryNik)));
                        LifeStatusOfFile(row, long.Parse(replaced.TemporaryNik, CultureInfo.InvariantCulture), nik, replaced.Status, parser, warnings);
                    }
                }
                else
                {
                    action |= RowAction.InsertPerson;
                    report.Persons.Added++;
                    if (_newPersons.Count <= MaxDuplicateChecks)
                    {
                        _newPersons.Add((row, new CheckDuplicate.Person(person.Nik, person.Nama, person.TanggalLahir, person.JenisKelamin, family.KodeDesa)));
                    }
                }
                if (action != RowAction.None)
                {
                    _rowsToWrite++;
                }
                if (!streaming)
                {
                    SetAction(_rows, action);
                }
                else
                {
                    _streamStopped |= errors.Count > 0 || report.ErrorCount > 0;
                    if (!_streamStopped)
                    {
                        // Pass 1's own objects go to the writer; the next row is parsed into new ones. The writer
                        // reads a family only when it inserts it: a member of a family already sent keeps the object,
                        // as seven of every ten rows do (one Family less per person: 350 MB of a million-person load).
                        family.Id = _families.Id(state);
                        family.RowHash = _families.Hash(state);
                        await StreamAsync(action, family, person, parser, cancellationToken);
                        if ((action & RowAction.InsertFamily) != 0)
                        {
                            family = NewFamily();
                        }
                        person = NewPerson();
                    }
                }
                Flush(errors, warnings);
                // Every 1,024 rows: a few hundred reports for a million persons, so small files move too.
                if ((_rows & 0x3FF) == 0)
                {
                    progress?.Report(new ImportProgress("validasi", _rows, reader.Position > 0 ? (long)(_rows / reader.Position) : null));
                }
            }
            TakeNotices(reader, warnings);
            // A file whose every row was refused already says why (a BDT file of NIKs in scientific notation): "import
            // the population first" or "no data" beside it would send the operator the wrong way.
            if (_rows == 0 && report.ErrorCount == 0)
            {
                errors.Add(reader is ProfileReader { PassedOver: > 0 } passing
                    ? ImportMessages.Issue(1, null, null, "BDT_NONE_REGISTERED", passing.PassedOver)
                    : ImportMessages.Issue(1, null, null, "FILE_NO_DATA"));
            }
            foreach (var (state, (headRow, headStatus)) in _headsNotLiving)
            {
                // A village's file may record the head's death before Dukcapil issues the new KK (OpenSID allows it):
                // imported, but said, since the family is left without a living head until then. Not when a row of the
                // family, before or after (the registry's own exports list the late, older head first), names a living head.
                if (_families.LivingHeads(state) == 0)
                {
                    warnings.Add(ImportMessages.Issue(headRow, "STATUS_DASAR", LifeStatus.Code(headStatus), "HEAD_NOT_LIVING",
                        NoKk.Mask(_families.NoKk(state).ToString("0000000000000000", CultureInfo.InvariantCulture))));
                }
            }
            for (var state = 0; state < _families.Count; state++)
            {
                if (_families.Heads(state) == 0 && !_families.FamilyOnly(state) && parser.CarriesRelationship)
                {
                    var text = _families.NoKk(state).ToString("0000000000000000", CultureInfo.InvariantCulture);
                    if (!familiesWithBrokenRows.Contains(text))
                    {
                        errors.Add(ImportMessages.Issue(_families.FirstRow(state), "HUBUNGAN_KK", null, "FAMILY_NO_HEAD", text));
                    }
                }
                if (_families.Exists(state))
                {
                    if (_families.Changed(state) || _movedOutOf.Contains(_families.Id(state)))
                    {
                        report.Families.Updated++;
                    }
                    else
                    {
                        report.Families.Unchanged++;
                    }
                }
                else
                {
                    report.Families.Added++;
                }
            }
            ReportFamiliesOfOtherVillages(errors);
            foreach (var (village, (first, count)) in _outsideRegency)
            {
                warnings.Add(ImportMessages.Issue(first, "KODE_DESA", village, "VILLAGE_OUTSIDE_REGENCY", village, count, _regency));
            }
            await CheckVillageOfFileAsync(errors, warnings, cancellationToken);
            await CheckNikKecamatanOfFileAsync(errors, warnings, cancellationToken);
            await WarnEnrolledNotLivingAsync(warnings, cancellationToken);
            // Members the registry has but the file omits are kept: removing a person is a verification decision.
            if (_registry.HasPersons)
            {
                var familiesInFile = new Dictionary<long, long>();
                for (var state = 0; state < _families.Count; state++)
                {
                    if (_families.Exists(state) && !_families.FamilyOnly(state))
                    {
                        familiesInFile[_families.Id(state)] = _families.FirstRow(state);
                    }
                }
                // Listed in the order of the persons' ids, as the registry holds them.
                var missing = new List<(long Id, ImportIssue Issue)>();
                foreach (var (nik, id, familyId) in _registry.Persons())
                {
                    if (familiesInFile.TryGetValue(familyId, out var firstRow) && !nikRows.ContainsKey(nik) && !_temporaryNiks.IsClaimed(nik)
                        && !_niksOfBrokenRows.Contains(nik))
                    {
                        missing.Add((id, ImportMessages.Issue(firstRow, "NIK", null, "MEMBER_NOT_IN_FILE",
                            Nik.Mask(nik.ToString("0000000000000000", CultureInfo.InvariantCulture)))));
                    }
                }
                warnings.AddRange(missing.OrderBy(m => m.Id).Select(m => m.Issue));
            }
            Flush(errors, warnings);
            await CheckDuplicatesAsync(warnings, cancellationToken);
            Flush(errors, warnings);
            progress?.Report(new ImportProgress("validasi", _rows, _rows));
        }

        /// <summary>The NIKs of rows refused for their own error (an unknown code): members the file does name.</summary>
        private readonly HashSet<long> _niksOfBrokenRows = [];

        /// <summary>The regency this installation serves (<c>Tuntas:Regency</c>).</summary>
        private readonly string _regency = owner.Regency.Regency;

        /// <summary>
        /// New families of villages outside the regency, by village: their first row and how many. A file may hold
        /// another regency's villages (a province's installation, a family that moved in), so they are not refused; but a
        /// village code one digit off on a new village's first file would put its families where the regency's pages
        /// never show them, so each such village is named once (VILLAGE_OUTSIDE_REGENCY), where a dry run shows it.
        /// </summary>
        private readonly Dictionary<string, (long First, int Count)> _outsideRegency = new(StringComparer.Ordinal);

        /// <summary>Rows of a scoped import whose NO_KK is registered outside the importer's area (row, NO_KK).</summary>
        private readonly List<(long Row, long NoKk)> _otherVillageRows = [];

        /// <summary>
        /// A scoped import may not change another area's family (FAMILY_OTHER_VILLAGE, each row). When most of the file's
        /// registered families are another area's, the file is another village's — a village operator chose the wrong
        /// file — and one error says so (FILE_OTHER_VILLAGE), not one per row of that village. Which village is not
        /// said: the operator learns only that the families exist outside their area.
        /// </summary>
        private void ReportFamiliesOfOtherVillages(List<ImportIssue> errors)
        {
            if (_otherVillageRows.Count == 0)
            {
                return;
            }
            var others = _otherVillageRows.Select(r => r.NoKk).Distinct().Count();
            var ours = 0;
            for (var state = 0; state < _families.Count; state++)
            {
                ours += _families.Exists(state) ? 1 : 0;
            }
            if (others * 2 > others + ours)
            {
                errors.Add(ImportMessages.Issue(1, "NO_KK", null, "FILE_OTHER_VILLAGE", others, others + ours));
                return;
            }
            foreach (var (row, noKk) in _otherVillageRows)
            {
                var masked = NoKk.Mask(noKk.ToString("0000000000000000", CultureInfo.InvariantCulture));
                errors.Add(ImportMessages.Issue(row, "NO_KK", masked, "FAMILY_OTHER_VILLAGE", masked));
            }
        }

        /// <summary>
        /// A file of one village whose village the operator types (OpenSID's and the DTKS's files carry none): the
        /// registered families it names should be that village's. When most are registered in another village, the code
        /// was mistyped and the import would move a whole village into the wrong one: the file is refused
        /// (<c>VILLAGE_MISMATCH</c>). A few are families that moved in: each is named with a warning
        /// (<c>FAMILY_MOVES_VILLAGE</c>), as the move is what the file says.
        /// </summary>
        private static readonly RegistryColumn<Family>[] _villageColumn = [FamilyFileLayout.FamilyColumn("KODE_DESA")];

        /// <summary>A registered living person whom this row records as not living (the status the file's row gives and
        /// that stands, <see cref="LifeStatusOfFile"/>), for <see cref="WarnEnrolledNotLivingAsync"/>.</summary>
        private void NoteNotLiving(long row, RegistryKeys.Person registered, int? status)
        {
            if (status is { } gone && gone != LifeStatus.Hidup && registered.Status is LifeStatus.Hidup or 0 && _newlyNotLiving.Count < MaxDuplicateChecks)
            {
                _newlyNotLiving.Add((row, registered.Id, gone));
            }
        }

        /// <summary>
        /// A person the file records as died, moved or missing who still receives a person program's assistance (PBI-JK,
        /// a scholarship) is named with the programs (<c>ENROLLED_NOT_LIVING</c>), in the dry run as in the import. The
        /// enrollment is not ended: that is the program's decision, with its date and reason (docs/programs.md). Before,
        /// the death was recorded and the assistance stayed "terdaftar" without a word — the inclusion error the
        /// recipient-list import itself reports when a ministry list names the dead.
        /// </summary>
        private async Task WarnEnrolledNotLivingAsync(List<ImportIssue> warnings, CancellationToken cancellationToken)
        {
            if (_newlyNotLiving.Count == 0)
            {
                return;
            }
            var programs = new Dictionary<long, List<string>>();
            foreach (var chunk in _newlyNotLiving.Select(p => p.PersonId).Chunk(UpdateChunk))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT e.person_id, p.code FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.status <> 'keluar' AND e.person_id IN ("
                    + string.Join(", ", chunk.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ") ORDER BY p.code";
                for (var i = 0; i < chunk.Length; i++)
                {
                    command.AddParameter("@p" + i.ToString(CultureInfo.InvariantCulture), chunk[i]);
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    (programs.TryGetValue(reader.GetInt64(0), out var codes) ? codes : programs[reader.GetInt64(0)] = []).Add(reader.GetString(1));
                }
            }
            foreach (var (row, personId, status) in _newlyNotLiving)
            {
                if (programs.TryGetValue(personId, out var codes))
                {
                    warnings.Add(ImportMessages.Issue(row, "STATUS_DASAR", LifeStatus.Code(status), "ENROLLED_NOT_LIVING", LifeStatus.Code(status),
                        string.Join(", ", codes), LifeStatus.English(status)));
                }
            }
        }

        private async Task CheckVillageOfFileAsync(List<ImportIssue> errors, List<ImportIssue> warnings, CancellationToken cancellationToken)
        {
            if (report.Profile is not (ImportProfiles.OpenSidPenduduk or ImportProfiles.OpenSidDtks) || _openSid.Village is not { } village
                || !_registry.HasFamilies)
            {
                return;
            }
            var ofTheVillage = new HashSet<long>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id FROM families WHERE kode_desa = @village";
                command.AddParameter("@village", village);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ofTheVillage.Add(reader.GetInt64(0));
                }
            }
            var registered = 0;
            var elsewhere = new List<int>();
            for (var state = 0; state < _families.Count; state++)
            {
                if (_families.Exists(state))
                {
                    registered++;
                    if (!ofTheVillage.Contains(_families.Id(state)))
                    {
                        elsewhere.Add(state);
                    }
                }
            }
            if (elsewhere.Count == 0)
            {
                return;
            }
            // Their registered villages, a chunk of ids a statement, as the update reads its rows.
            var registeredIn = new Dictionary<long, string>();
            foreach (var chunk in elsewhere.Select(_families.Id).Chunk(UpdateChunk))
            {
                foreach (var (id, row) in await RegistryRows.ReadManyAsync(_database, connection, transaction, "families", _villageColumn, chunk, NewFamily, cancellationToken))
                {
                    registeredIn[id] = row.KodeDesa;
                }
            }
            if (elsewhere.Count * 2 > registered)
            {
                errors.Add(ImportMessages.Issue(1, "KODE_DESA", village, "VILLAGE_MISMATCH", elsewhere.Count, registered, registeredIn[_families.Id(elsewhere[0])], village));
                return;
            }
            foreach (var state in elsewhere)
            {
                var noKk = NoKk.Mask(_families.NoKk(state).ToString("0000000000000000", CultureInfo.InvariantCulture));
                warnings.Add(ImportMessages.Issue(_families.FirstRow(state), "NO_KK", noKk, "FAMILY_MOVES_VILLAGE", noKk, registeredIn[_families.Id(state)], village));
            }
        }

        /// <summary>
        /// A misnamed village file into a village the registry does not hold yet (<see cref="NikKecamatanCheck"/>): only
        /// when none of the file's families is registered, as <see cref="CheckVillageOfFileAsync"/> compares those with
        /// the village. A refusal when the village came from the file's name, a warning when someone gave it.
        /// </summary>
        private async Task CheckNikKecamatanOfFileAsync(List<ImportIssue> errors, List<ImportIssue> warnings, CancellationToken cancellationToken)
        {
            if (_nikKecamatan?.Judge() is not { } finding)
            {
                return;
            }
            for (var state = 0; state < _families.Count; state++)
            {
                if (_families.Exists(state))
                {
                    return;
                }
            }
            var names = await RegionNamesAsync([finding.Other, finding.Own], cancellationToken);
            (_nikKecamatan.FromFileName ? errors : warnings).Add(_nikKecamatan.Issue(finding, names));
        }

        private async Task<Dictionary<string, string>> RegionNamesAsync(string[] codes, CancellationToken cancellationToken)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT code, name FROM regions WHERE code IN (@a, @b)";
            command.AddParameter("@a", codes[0]);
            command.AddParameter("@b", codes[1]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names[reader.GetString(0)] = reader.GetString(1);
            }
            return names;
        }

        /// <summary>The warnings of rows the profile passed over before this one (<see cref="ProfileReader.Notices"/>), and
        /// the errors of rows it could not hand on (<see cref="ProfileReader.Refusals"/>), recorded at once: the buffers
        /// are the next row's.</summary>
        private void TakeNotices(TabularReader reader, List<ImportIssue> warnings)
        {
            if (reader is ProfileReader profiled && (profiled.Notices.Count > 0 || profiled.Refusals.Count > 0))
            {
                var errors = new List<ImportIssue>(profiled.Refusals);
                warnings.AddRange(profiled.Notices);
                profiled.Notices.Clear();
                profiled.Refusals.Clear();
                Flush(errors, warnings);
            }
        }

        /// <summary>New persons per import checked one by one against the registry (≈ 1–5 ms each); a larger first load
        /// is deduplicated by the registry run instead (docs/linkage.md).</summary>
        public const int MaxDuplicateChecks = 5_000;

        private readonly List<(long Row, CheckDuplicate.Person Person)> _newPersons = [];

        /// <summary>
        /// A new person who is likely someone the registry already holds under another NIK: a warning (DUPLICATE_SUSPECT,
        /// matched NIK masked, score), never a refusal — a second NIK is lawful until a reviewer decides (docs/linkage.md).
        /// </summary>
        private async Task CheckDuplicatesAsync(List<ImportIssue> warnings, CancellationToken cancellationToken)
        {
            if (!_registry.HasPersons || _newPersons.Count == 0)
            {
                return;
            }
            if (_newPersons.Count > MaxDuplicateChecks)
            {
                warnings.Add(ImportMessages.Issue(_newPersons[0].Row, "NIK", null, "DUPLICATE_CHECK_SKIPPED", $"> {MaxDuplicateChecks:N0}"));
                return;
            }
            var matches = await CheckDuplicate.FindManyAsync(connection, transaction, [.. _newPersons.Select(p => p.Person)], cancellationToken);
            for (var i = 0; i < matches.Length; i++)
            {
                if (matches[i] is { } match)
                {
                    var (row, person) = _newPersons[i];
                    if (input.RegionScope is { Length: > 0 } region && AccessScope.Within(region) is var scope && !scope.CoversVillage(match.KodeDesa ?? ""))
                    {
                        // Not whom: a dry run of a made-up person must not name the residents of other villages.
                        var (message, messageEn) = CheckDuplicate.Describe(match, scope);
                        warnings.Add(new ImportIssue(row, "NIK", Nik.Mask(person.Nik), CheckDuplicate.Code, message, messageEn));
                        continue;
                    }
                    warnings.Add(ImportMessages.Issue(row, "NIK", Nik.Mask(person.Nik), CheckDuplicate.Code,
                        Nik.Mask(match.Nik), match.Nama, match.Score.ToString("0.00", CultureInfo.InvariantCulture)));
                }
            }
        }

        /// <summary>Reads the registry's values of the columns the file leaves out (one scan per table, only those columns;
        /// of the file's village only: <see cref="OnlyTheFilesVillage"/>).</summary>
        private async Task PreloadAbsentColumnsAsync(FamilyRowParser parser, CancellationToken cancellationToken)
        {
            _absentFamily = parser.AbsentFamilyColumns;
            _absentPerson = parser.AbsentPersonColumns;
            _absentName = _absentPerson.Any(i => _personImportColumns[i].Import == "NAMA");
            if (_absentFamily.Count > 0 && _registry.HasFamilies)
            {
                var columns = _absentFamily.Select(i => FamilyFileLayout.FamilyColumn(FamilyFileLayout.FamilyRules[i].Column)).ToList();
                await ReadHashesAsync("families", columns.Select(c => (c.Sql, c.Kind)).ToList(), _absentFamilyHashes, cancellationToken);
            }
            if (_absentPerson.Count > 0 && _registry.HasPersons)
            {
                var columns = _absentPerson.Select(i => _personImportColumns[i]).ToList();
                await ReadHashesAsync("persons", columns.Select(c => (c.Sql, c.Kind)).ToList(), _absentPersonHashes, cancellationToken);
            }
        }

        private async Task ReadHashesAsync(string table, List<(string Sql, ColumnKind Kind)> columns, Dictionary<long, int[]> into, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT id, {string.Join(", ", columns.Select(c => c.Sql))} FROM {table}";
            OnlyTheFilesVillage(command, table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var hashes = new int[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    hashes[i] = RegistryColumns.ValueHash(RegistryRows.ReadValue(reader, i + 1, columns[i].Kind));
                }
                into[reader.GetInt64(0)] = hashes;
            }
        }

        /// <summary>The row hash the family would have after this file: the file's columns, the registry's for the rest.</summary>
        private long MergedFamilyHash(long familyId, int[] fileHashes)
        {
            if (!_absentFamilyHashes.TryGetValue(familyId, out var registry))
            {
                return RegistryColumns.Combine(fileHashes);
            }
            Span<int> merged = stackalloc int[fileHashes.Length];
            fileHashes.CopyTo(merged);
            for (var k = 0; k < _absentFamily.Count; k++)
            {
                merged[_absentFamily[k]] = registry[k];
            }
            return RegistryColumns.Combine(merged);
        }

        /// <summary>
        /// The life status a file gives a registered person, or null when it gives none or the registry's stays. A status
        /// a file recorded (dead, moved, missing), a later file may change: back to living with the warning
        /// <c>STATUS_BACK_TO_LIVING</c> (the village's register corrected: a move undone, a death entered in error). A
        /// status a person recorded through the back office, a change request, a field visit or the musdes stays against
        /// any other status a file gives, with <c>STATUS_NOT_LIVING_KEPT</c>: a village's export older than that decision
        /// would otherwise bring the dead back onto the lists unseen, or turn a recorded death into a move
        /// (docs/import-format.md, "Life status"). <paramref name="registeredNik"/> is the person's NIK in the registry,
        /// <paramref name="fileNik"/> the row's (they differ when a Dukcapil NIK replaces a temporary one).
        /// </summary>
        private int? LifeStatusOfFile(long row, long registeredNik, long fileNik, int registeredStatus, FamilyRowParser parser, List<ImportIssue> warnings)
        {
            if (parser.StatusHidup is not { } given || registeredStatus is LifeStatus.Hidup or 0 || given == registeredStatus)
            {
                return parser.StatusHidup;
            }
            var code = LifeStatus.Code(registeredStatus);
            if (_lifeStatuses.RecordedOtherwise(registeredNik) is { } recorded)
            {
                _lifeStatuses.Keep(fileNik);
                var (sourceId, sourceEn) = ChangeSource.Words(recorded.Source);
                warnings.Add(ImportMessages.Issue(row, "STATUS_DASAR", LifeStatus.Code(given), "STATUS_NOT_LIVING_KEPT", code, LifeStatus.English(registeredStatus),
                    sourceId, recorded.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-", sourceEn, LifeStatus.Code(given), LifeStatus.English(given)));
                return null;
            }
            if (given == LifeStatus.Hidup)
            {
                warnings.Add(ImportMessages.Issue(row, "STATUS_DASAR", LifeStatus.Code(LifeStatus.Hidup), "STATUS_BACK_TO_LIVING", code, LifeStatus.English(registeredStatus)));
            }
            return given;
        }

        /// <summary>
        /// Whether the person of this row is living once the file is imported: the file's life status where it gives one
        /// and it stands (<see cref="LifeStatusOfFile"/>: not against a status recorded through the back office, a change
        /// request, a field visit or the musdes), otherwise the registry's. Read without <see cref="LifeStatusOfFile"/>'s
        /// warnings, which its own call for the row gives.
        /// </summary>
        private bool LivesAfterThisFile(long nik, FamilyRowParser parser)
        {
            var registered = _registry.TryGetPerson(nik, out var person) && person.Status is not 0 ? person.Status : LifeStatus.Hidup;
            if (parser.StatusHidup is not { } given)
            {
                return registered == LifeStatus.Hidup;
            }
            var kept = registered != LifeStatus.Hidup && given != registered && _lifeStatuses.RecordedOtherwise(nik) is not null;
            return (kept ? registered : given) == LifeStatus.Hidup;
        }

        private long KeptPersonHash(long personId, Person person)
        {
            KeepPerson(personId, person);
            return MergedPersonHash(personId, person);
        }

        private long MergedPersonHash(long personId, Person person)
        {
            if (!_absentPersonHashes.TryGetValue(personId, out var registry))
            {
                return RegistryFields.PersonHash(person);
            }
            Span<int> merged = stackalloc int[_personImportColumns.Length];
            for (var i = 0; i < merged.Length; i++)
            {
                merged[i] = RegistryColumns.ValueHash(_personImportColumns[i].Read(person));
            }
            for (var k = 0; k < _absentPerson.Count; k++)
            {
                merged[_absentPerson[k]] = registry[k];
            }
            return RegistryColumns.Combine(merged);
        }

        private void Flush(List<ImportIssue> errors, List<ImportIssue> warnings)
        {
            foreach (var e in errors)
            {
                Add(report, report.Errors, InFileTerms(e));
            }
            foreach (var w in warnings)
            {
                Add(report, report.Warnings, InFileTerms(w));
            }
            errors.Clear();
            warnings.Clear();
        }

        /// <summary>Writes a turn of new families, then their persons, then the families' history lines (PostgreSQL's COPY
        /// holds the connection for one table).</summary>
        private async Task WriteTurnAsync(QueuedRows<Family>.Turn families, QueuedRows<Person>.Turn persons, QueuedRows<Family>.Turn familiesAdded,
            CancellationToken cancellationToken)
        {
            await families.WriteAsync(connection, transaction, cancellationToken);
            await persons.WriteAsync(connection, transaction, cancellationToken);
            await familiesAdded.WriteAsync(connection, transaction, cancellationToken);
        }

        /// <summary>
        /// A new family's history line (<c>KELUARGA_BARU</c>, its NO_KK, this file and operator; RegistryHistory), read
        /// from the family as it is written. Written in the same turn as the family rather than by one statement after the
        /// last row: there it was 0.8 s of a 1,000,000-person PostgreSQL first load during which only the server worked;
        /// in the turns the server writes it while the client parses the next rows (docs/benchmarks.md, "Values read
        /// without boxing"). The other columns of the line stay empty, as the statement left them.
        /// </summary>
        private IReadOnlyList<BulkColumn<Family>> FamilyAddedColumns() =>
        [
            new("family_id", ColumnKind.Long, f => f.Id),
            new("field", ColumnKind.Text, _ => "KELUARGA_BARU"),
            new("new_value", ColumnKind.Text, f => f.NoKk),
            new("changed_at", ColumnKind.Timestamp, _ => _now),
            new("changed_by", ColumnKind.Text, _ => input.ChangedBy),
            new("source_file", ColumnKind.Text, _ => input.SourceName),
            new("import_job_id", ColumnKind.Long, _ => input.JobId),
            new("source", ColumnKind.Text, _ => ChangeSource.File),
            new("family_version", ColumnKind.Long, f => f.Version),
        ];

        private async Task ParseForWritingAsync(ChannelWriter<WriteItem> writer, CancellationToken cancellationToken)
        {
            Exception? failure = null;
            try
            {
                using var reader = OpenFile();
                // Every value was validated in pass 1 (villages included): here parsing only converts.
                var parser = CreateParser(reader, _ => true, [], computeNameKeys: true);
                var batch = new List<ParsedRow>(RowsPerBatch);
                long ordinal = 0;
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Pass 1 reported them.
                    (reader as ProfileReader)?.Notices.Clear();
                    var action = ActionOf(++ordinal);
                    if (action == RowAction.None)
                    {
                        continue;
                    }
                    var family = NewFamily();
                    var person = NewPerson();
                    parser.Parse(reader, family, person, [], [], FamilyOnly(parser, reader));
                    _families.TryGet(long.Parse(family.NoKk, CultureInfo.InvariantCulture), out var state);
                    family.Id = _families.Id(state);
                    family.RowHash = _families.Hash(state);
                    person.FamilyId = family.Id;
                    person.RowHash = RegistryFields.PersonHash(person);
                    // 0 = the file does not say (no STATUS_DASAR): a new member is living, an existing one keeps its status.
                    person.StatusHidup = parser.StatusHidup ?? 0;
                    batch.Add(new ParsedRow(action, family, person));
                    if (batch.Count == RowsPerBatch)
                    {
                        await writer.WriteAsync(new WriteItem(batch), cancellationToken);
                        batch = new List<ParsedRow>(RowsPerBatch);
                    }
                }
                if (batch.Count > 0)
                {
                    await writer.WriteAsync(new WriteItem(batch), cancellationToken);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                writer.TryComplete(failure);
            }
        }

        private FamilyRowParser CreateParser(TabularReader reader, Func<string, bool> villageExists, List<ImportIssue> headerIssues, bool computeNameKeys)
        {
            var decimalComma = reader is CsvTabularReader { Delimiter: (byte)';' } or ProfileReader { DecimalComma: true };
            var parser = new FamilyRowParser(reader.Header, decimalComma, _today, villageExists, headerIssues, (reader as ProfileReader)?.DefaultedColumns)
            {
                ComputeNameKeys = computeNameKeys,
                VillageAllowed = ProfileContext.Within(input.RegionScope),
            };
            // Unknown columns are warnings; everything else from the header is an error.
            for (var i = headerIssues.Count - 1; i >= 0; i--)
            {
                if (headerIssues[i].Code == "COLUMN_UNKNOWN")
                {
                    Add(report, report.Warnings, headerIssues[i]);
                    headerIssues.RemoveAt(i);
                }
            }
            return parser;
        }

        /// <summary>A row without a person: every row of a file without person columns, or a DTKS family without members.</summary>
        private static bool FamilyOnly(FamilyRowParser parser, TabularReader reader) =>
            parser.FamilyOnly || reader is ProfileReader { FamilyOnlyRow: true };

        /// <summary>Pass 1's decision for a row, by its ordinal in the file as read (a DTKS workbook's rows come from two
        /// sheets, so their row numbers are not unique).</summary>
        private void SetAction(long row, RowAction action)
        {
            if (row >= _actions.Length)
            {
                Array.Resize(ref _actions, (int)Math.Max(row + 1, _actions.Length * 2L));
            }
            _actions[row] = action;
        }

        private RowAction ActionOf(long row) => row < _actions.Length ? _actions[row] : RowAction.None;

        /// <summary>A parsed row on its way from the parsing thread to the database writer.</summary>
        private sealed record ParsedRow(RowAction Action, Family Family, Person Person);

        public async Task WriteAsync(CancellationToken cancellationToken)
        {
            if (report.Families.Added + report.Families.Updated + report.Persons.Added + report.Persons.Updated == 0)
            {
                return; // the same file again: nothing to do, nothing written
            }
            var familyUpdates = new List<Family>();
            var personUpdates = new List<Person>();
            // A first load into an empty registry builds the secondary indexes once at the end (a sort) instead of
            // updating them row by row; inside the transaction, so a failure restores them with everything else.
            var firstLoad = !_registry.HasFamilies && !_registry.HasPersons;
            if (_streamWriter is null)
            {
                if (firstLoad)
                {
                    _firstLoadSchema = await FirstLoadSchema.DropAsync(_database, connection, transaction, cancellationToken);
                }
                var channel = NewWriteChannel();
                // Parsing runs on a second thread while this one writes; only rows that pass 1 marked for writing are parsed.
                var producer = Task.Run(() => ParseForWritingAsync(channel.Writer, cancellationToken), cancellationToken);
                await ConsumeAsync(channel.Reader, familyUpdates, personUpdates, reportProgress: true, cancellationToken);
                await producer;
            }
            // Otherwise the rows were written while pass 1 validated them (a first load, see StartStreamAsync).
            progress?.Report(new ImportProgress("riwayat", _rows, _rows));
            await ApplyUpdatesAsync(familyUpdates, personUpdates, cancellationToken);
            if (_rowsToWrite >= 100_000)
            {
                // The written rows are garbage now; SQLite's index sort comes next. Below this size the heap is small and a
                // collection would only pause the web app.
                PhaseMemory.ReleaseTransients();
            }
            await RecordAdditionsAsync(firstLoad, cancellationToken);
            if (_firstLoadSchema is not null)
            {
                // After the history too: its foreign key is checked once, not once per line (FirstLoadSchema).
                progress?.Report(new ImportProgress("indeks", _rowsToWrite, _rowsToWrite));
                await _firstLoadSchema.RestoreAsync(_database, connection, transaction, cancellationToken);
            }
            // The rows were written with explicit ids: the back office's own inserts must not collide with them.
            await _database.MoveIdentitiesPastAsync(connection, transaction, ["families", "persons"], cancellationToken);
            progress?.Report(new ImportProgress("selesai", _rows, _rows));
        }

        /// <summary>
        /// Writes the rows arriving on <paramref name="reader"/>: new families and persons on the provider's bulk path as
        /// they come (SQLite) or in turns (PostgreSQL's COPY holds the connection for one table, so each turn is copied
        /// families first, then persons, while the next turn is gathered: <see cref="QueuedRows{T}"/>); changed ones are
        /// gathered for <see cref="ApplyUpdatesAsync"/>. Also runs the reads pass 1 asks for while it streams
        /// (<see cref="OnConnection"/>), between two turns.
        /// </summary>
        private async Task ConsumeAsync(ChannelReader<WriteItem> reader, List<Family> familyUpdates, List<Person> personUpdates, bool reportProgress,
            CancellationToken cancellationToken)
        {
            var newFamilies = QueuedRows<Family>.For(_database, "families", RegistryColumns.Family);
            var familiesAdded = QueuedRows<Family>.For(_database, "family_changes", FamilyAddedColumns());
            // Only a first load on PostgreSQL writes the name skeleton (FirstLoadSchema); computed here, for the rows
            // written, not by the parser for every row of every import.
            var writesSkeleton = _firstLoadSchema?.WritesNameSkeleton == true;
            var newPersons = QueuedRows<Person>.For(_database, "persons", writesSkeleton ? RegistryColumns.PersonWithSkeleton : RegistryColumns.Person);
            var nextPersonId = _maxPersonId;
            var rowsPerChunk = _database.RowsPerInsertChunk();
            long done = 0;
            // The last turn taken is written while the next one is gathered; the connection is free again once it is done.
            var writing = Task.CompletedTask;
            try
            {
                await foreach (var item in reader.ReadAllAsync(cancellationToken))
                {
                    if (item.Query is { } query)
                    {
                        await writing;
                        try
                        {
                            query();
                            item.Done.SetResult();
                        }
                        catch (Exception e)
                        {
                            item.Done.SetException(e);
                        }
                        continue;
                    }
                    var rows = item.Rows!;
                    foreach (var (action, family, person) in rows)
                    {
                        if ((action & RowAction.InsertFamily) != 0)
                        {
                            family.DesilNasionalTanggal = family.DesilNasional is null ? null : _today;
                            newFamilies.Add(family);
                            familiesAdded.Add(family);
                        }
                        else if ((action & RowAction.UpdateFamily) != 0)
                        {
                            familyUpdates.Add(family);
                        }
                        if ((action & RowAction.InsertPerson) != 0)
                        {
                            person.Id = ++nextPersonId;
                            if (person.StatusHidup == 0)
                            {
                                person.StatusHidup = LifeStatus.Hidup;
                            }
                            else if (person.StatusHidup != LifeStatus.Hidup)
                            {
                                person.StatusTanggal = _today;
                                person.StatusSumber = ChangeSource.File;
                            }
                            if (writesSkeleton)
                            {
                                person.DeriveNameSkeleton();
                            }
                            newPersons.Add(person);
                        }
                        else if ((action & RowAction.UpdatePerson) != 0)
                        {
                            var nik = long.Parse(person.Nik, CultureInfo.InvariantCulture);
                            // A NIK the registry does not hold yet is a temporary NIK's person taking the Dukcapil number.
                            person.Id = _registry.TryGetPerson(nik, out var registered) ? registered.Id : _temporaryNiks.PersonOf(nik)!.Value;
                            if (_lifeStatuses.IsKept(nik))
                            {
                                person.StatusHidup = 0; // the registry's status stays (LifeStatusOfFile)
                            }
                            personUpdates.Add(person);
                        }
                    }
                    if (newPersons.Count >= rowsPerChunk)
                    {
                        await writing;
                        writing = WriteTurnAsync(newFamilies.TakeTurn(), newPersons.TakeTurn(), familiesAdded.TakeTurn(), cancellationToken);
                    }
                    done += rows.Count;
                    if (reportProgress)
                    {
                        progress?.Report(new ImportProgress("menulis", done, _rowsToWrite));
                    }
                }
                await writing;
                await WriteTurnAsync(newFamilies.TakeTurn(), newPersons.TakeTurn(), familiesAdded.TakeTurn(), cancellationToken);
            }
            catch
            {
                // Nothing may still use the connection when the caller rolls the transaction back.
                try
                {
                    await writing;
                }
                catch (Exception)
                {
                    // The first failure is the one reported.
                }
                throw;
            }
        }

        /// <summary>Rows travel from the parsing thread to the writer in batches.</summary>
        private const int RowsPerBatch = 512;

        /// <summary>
        /// How many batches the parsing thread may queue ahead of the writer, on both databases. A queued row outlives
        /// the collector's youngest generation, and whichever side is slower keeps the queue full: with 64 batches, about
        /// half of the collections of a PostgreSQL first load reached the second generation (SQLite's, when it had 64:
        /// almost all). PostgreSQL's writer encodes each row for its COPY turn and waits only while the server copies the
        /// turn before, which a short queue does not lengthen: two or four batches against 64 took a 1,000,000-person
        /// first load from 11.6–12.6 s to 11.1–11.8 s in-process and the collector's pauses from 0.4–1.5 s to 0.3–0.45 s;
        /// through the CLI the difference was within the noise (docs/benchmarks.md, "The deployed CLI and a shorter
        /// queue").
        /// </summary>
        private const int BatchesQueued = 2;

        private static Channel<WriteItem> NewWriteChannel() =>
            Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(BatchesQueued) { SingleReader = true, SingleWriter = true });

        /// <summary>Rows on their way to the database writer, or a read that must run on the import's connection.</summary>
        private sealed class WriteItem(List<ParsedRow>? rows, Action? query = null)
        {
            public List<ParsedRow>? Rows => rows;
            public Action? Query => query;
            public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // ---------------------------------------------------------------- a first load, written while it is validated

        /// <summary>The indexes and foreign keys a first load dropped, restored after its last row (FirstLoadSchema).</summary>
        private FirstLoadSchema? _firstLoadSchema;
        private Channel<WriteItem>? _stream;
        private Task? _streamWriter;
        private List<ParsedRow> _streamBatch = new(RowsPerBatch);
        private bool _streamStopped;

        /// <summary>
        /// A first load (an empty registry, not a dry run) has nothing to compare and nothing to update: every valid row
        /// is an insert that pass 1 already parsed. So the rows go to the writer on the second core while pass 1 goes on
        /// (docs/registry.md, "Pass 1"; the ≤ 3× target of docs/benchmarks.md), and the file is read and parsed once. Still
        /// all in the import's one transaction: the first error stops the stream and the transaction is rolled back, so a
        /// file with any error writes nothing, as before. Returns whether the rows are streamed.
        /// </summary>
        private bool FirstLoad => !input.DryRun && !_registry.HasFamilies && !_registry.HasPersons;

        private async Task<bool> StartStreamAsync(CancellationToken cancellationToken)
        {
            if (!FirstLoad)
            {
                return false;
            }
            _firstLoadSchema = await FirstLoadSchema.DropAsync(_database, connection, transaction, cancellationToken);
            _stream = NewWriteChannel();
            var channel = _stream;
            _streamWriter = Task.Run(async () =>
            {
                try
                {
                    await ConsumeAsync(channel.Reader, [], [], reportProgress: false, cancellationToken);
                }
                catch (Exception failure)
                {
                    // Pass 1 must never wait on a full channel nobody reads: drain it, failing the reads it asks for.
                    await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None))
                    {
                        item.Done.TrySetException(failure);
                    }
                    throw;
                }
            }, CancellationToken.None);
            return true;
        }

        /// <summary>Runs a read on the import's connection: on the writer's thread while a first load streams.</summary>
        private void OnConnection(Action query)
        {
            if (_stream is null)
            {
                query();
                return;
            }
            var item = new WriteItem(null, query);
            // Pass 1 waits for its answer; the writer is on another thread and never waits for pass 1.
            _stream.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
            item.Done.Task.GetAwaiter().GetResult();
        }

        /// <summary>Hands a new family and person that pass 1 found valid to the writer (nothing once there is an error).</summary>
        private async ValueTask StreamAsync(RowAction action, Family family, Person person, FamilyRowParser parser, CancellationToken cancellationToken)
        {
            person.FamilyId = family.Id;
            person.RowHash = RegistryFields.PersonHash(person);
            // 0 = the file does not say (no STATUS_DASAR): a new member is living.
            person.StatusHidup = parser.StatusHidup ?? 0;
            _streamBatch.Add(new ParsedRow(action, family, person));
            if (_streamBatch.Count == RowsPerBatch)
            {
                await _stream!.Writer.WriteAsync(new WriteItem(_streamBatch), cancellationToken);
                _streamBatch = new List<ParsedRow>(RowsPerBatch);
            }
        }

        /// <summary>After pass 1: the last rows to the writer and wait for it (or, after an error, only for it to stop).</summary>
        private async Task FinishStreamAsync(bool write, CancellationToken cancellationToken)
        {
            if (_stream is null || _streamWriter is null)
            {
                return;
            }
            if (!write)
            {
                await AbortStreamAsync();
                return;
            }
            if (_streamBatch.Count > 0)
            {
                await _stream.Writer.WriteAsync(new WriteItem(_streamBatch), cancellationToken);
            }
            _stream.Writer.TryComplete();
            fileHash.Start();
            progress?.Report(new ImportProgress("menulis", _rows, _rowsToWrite));
            cancellationToken.ThrowIfCancellationRequested();
            await _streamWriter;
        }

        /// <summary>Stops the writer and waits for it, so that nothing uses the connection while the transaction rolls back.</summary>
        private async Task AbortStreamAsync()
        {
            _streamStopped = true;
            if (_stream is null || _streamWriter is null)
            {
                return;
            }
            _stream.Writer.TryComplete();
            try
            {
                await _streamWriter;
            }
            catch (Exception)
            {
                // The import fails or is refused anyway; its own error is the one to report.
            }
        }

        /// <summary>
        /// Changed families and persons, a chunk at a time: read the old rows, write the new ones, raise each family's
        /// version once, and one history line per changed column — built by <see cref="RegistryHistory"/>, as for every
        /// other writer of the registry. A chunk is one statement per step (its rows read by their ids, written by
        /// <see cref="BulkUpdate{T}.ManyAsync"/>, its history bulk-inserted), not a round trip per row: a BDT or DTKS file
        /// changes every family and person of a regency (docs/benchmarks.md, "Import profiles"). The history of a chunk is
        /// written with it, so memory holds one chunk's lines, not the whole file's.
        /// </summary>
        private async Task ApplyUpdatesAsync(List<Family> familyUpdates, List<Person> personUpdates, CancellationToken cancellationToken)
        {
            // A family's version after this import: raised once, whether its own fields or only its members changed.
            var versions = new Dictionary<long, long>();
            foreach (var chunk in familyUpdates.Chunk(UpdateChunk))
            {
                var olds = await RegistryRows.ReadManyAsync(_database, connection, transaction, "families", RegistryColumns.Family, [.. chunk.Select(f => f.Id)], NewFamily, cancellationToken);
                var changes = new List<FamilyChange>();
                foreach (var family in chunk)
                {
                    var old = olds[family.Id];
                    foreach (var i in _absentFamily)
                    {
                        var column = FamilyFileLayout.FamilyColumn(FamilyFileLayout.FamilyRules[i].Column);
                        column.Set(family, column.Get(old));
                    }
                    // An address is a village's: a family the file moves to another village does not take its old
                    // street, RT, RW or coordinates along under an empty cell (they become unknown there).
                    var moved = family.KodeDesa != old.KodeDesa;
                    KeepFromOld(_familyKeeps.Where(f => !moved || !_addressColumns.Contains(f.Column.Import ?? "")).Select(f => (f.Column, f.Keeps)), family, old);
                    family.RowHash = _absentFamily.Count + _familyKeeps.Length > 0 ? RegistryFields.FamilyHash(family) : family.RowHash;
                    family.CreatedAt = old.CreatedAt;
                    family.DesilNasionalTanggal = family.DesilNasional == old.DesilNasional ? old.DesilNasionalTanggal
                        : family.DesilNasional is null ? null : _today;
                    family.VerifiedAt = old.VerifiedAt;
                    family.Version = old.Version + 1;
                    versions[family.Id] = family.Version;
                    RegistryHistory.Diff(RegistryColumns.Family, old, family, family.Id, null, Stamp, family.Version, changes);
                }
                await BulkUpdate<Family>.ManyAsync(_database, connection, transaction, "families", RegistryColumns.Family, [.. chunk.Select(f => (f.Id, f))], cancellationToken);
                await WriteChangesAsync(changes, cancellationToken);
            }
            foreach (var chunk in personUpdates.Chunk(UpdateChunk))
            {
                var olds = await RegistryRows.ReadManyAsync(_database, connection, transaction, "persons", RegistryColumns.Person, [.. chunk.Select(p => p.Id)], NewPerson, cancellationToken);
                await RaiseVersionsAsync(chunk.SelectMany(p => new[] { p.FamilyId, olds[p.Id].FamilyId }), versions, cancellationToken);
                var changes = new List<FamilyChange>();
                foreach (var person in chunk)
                {
                    var old = olds[person.Id];
                    foreach (var i in _absentPerson)
                    {
                        _personImportColumns[i].Set(person, _personImportColumns[i].Get(old));
                    }
                    if (_absentName)
                    {
                        // The search key follows the name the person keeps, not the blank the parser left.
                        person.NamaKunci = old.NamaKunci;
                    }
                    KeepFromOld(_personKeeps, person, old);
                    person.RowHash = _absentPerson.Count + _personKeeps.Length > 0 ? RegistryFields.PersonHash(person) : person.RowHash;
                    person.CreatedAt = old.CreatedAt;
                    if (person.StatusHidup == 0 || person.StatusHidup == old.StatusHidup)
                    {
                        person.StatusHidup = old.StatusHidup;
                        person.StatusTanggal = old.StatusTanggal;
                        person.StatusSumber = old.StatusSumber;
                        person.PindahKe = old.PindahKe;
                    }
                    else
                    {
                        person.StatusTanggal = person.StatusHidup == LifeStatus.Hidup ? null : _today;
                        person.StatusSumber = ChangeSource.File;
                    }
                    var version = versions[person.FamilyId];
                    if (old.FamilyId != person.FamilyId)
                    {
                        var fromKk = _registry.NoKkOf(old.FamilyId) ?? "?";
                        var toKk = _families.NoKk(_families.OrdinalOfId(person.FamilyId)).ToString("0000000000000000", CultureInfo.InvariantCulture);
                        changes.Add(RegistryHistory.Line(Stamp, old.FamilyId, person.Id, "ANGGOTA_KELUAR", person.Nama, "pindah ke KK " + toKk, versions[old.FamilyId]));
                        changes.Add(RegistryHistory.Line(Stamp, person.FamilyId, person.Id, "ANGGOTA_MASUK", "pindah dari KK " + fromKk, person.Nama, version));
                    }
                    RegistryHistory.Diff(RegistryColumns.Person, old, person, person.FamilyId, person.Id, Stamp, version, changes);
                    RegistryHistory.DiffLife(old, person, person.FamilyId, Stamp, version, changes);
                }
                await BulkUpdate<Person>.ManyAsync(_database, connection, transaction, "persons", RegistryColumns.Person, [.. chunk.Select(p => (p.Id, p))], cancellationToken);
                await WriteChangesAsync(changes, cancellationToken);
            }
        }

        /// <summary>Rows of an update step read and written by one statement each.</summary>
        private const int UpdateChunk = 2_000;

        private async Task WriteChangesAsync(List<FamilyChange> changes, CancellationToken cancellationToken)
        {
            if (changes.Count == 0)
            {
                return;
            }
            await using var insert = await BulkInsert<FamilyChange>.StartAsync(_database, connection, transaction, "family_changes", RegistryColumns.Change, cancellationToken);
            foreach (var change in changes)
            {
                await insert.AddAsync(change, cancellationToken);
            }
            await insert.CompleteAsync(cancellationToken);
        }

        /// <summary>The versions of the families whose members changed and whose own fields did not: raised once per
        /// import, in one statement per chunk (an editor that read the family before this import is then refused as stale).</summary>
        private async Task RaiseVersionsAsync(IEnumerable<long> familyIds, Dictionary<long, long> versions, CancellationToken cancellationToken)
        {
            var raise = familyIds.Where(id => !versions.ContainsKey(id)).Distinct().ToList();
            if (raise.Count == 0)
            {
                return;
            }
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"UPDATE families SET version = version + 1 WHERE id IN ({_database.Dialect.SelectIds("@ids")}) RETURNING id, version";
            command.AddParameter("@ids", _database.Dialect.Ids(raise));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        private ChangeStamp Stamp => new(input.ChangedBy, _now, ChangeSource.File, null, input.SourceName, input.JobId);

        /// <summary>One history line per new member of a family the registry already held, set-based. A new family's own
        /// line is written with the family (<see cref="FamilyAddedColumns"/>).</summary>
        private async Task RecordAdditionsAsync(bool firstLoad, CancellationToken cancellationToken)
        {
            // None on a first load, where looking for them would scan every new person (the family index is rebuilt after this).
            if (firstLoad)
            {
                return;
            }
            // Their family's version raised first, then recorded.
            const string newMembers = """
                UPDATE families SET version = version + 1
                WHERE id IN (SELECT family_id FROM persons WHERE id > @maxPerson AND family_id <= @maxFamily);
                INSERT INTO family_changes (family_id, person_id, field, old_value, new_value, changed_at, changed_by, source_file, import_job_id, source, family_version)
                SELECT p.family_id, p.id, 'ANGGOTA_BARU', NULL, p.nama, @now, @by, @file, @job, 'berkas', f.version
                FROM persons p JOIN families f ON f.id = p.family_id WHERE p.id > @maxPerson AND p.family_id <= @maxFamily;
                """;
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = newMembers;
            command.AddParameter("@now", _database.TimeParameter(_now));
            command.AddParameter("@by", input.ChangedBy);
            command.AddParameter("@file", input.SourceName);
            // Typed, so that PostgreSQL knows a null job's column type.
            command.AddParameter("@job", input.JobId).DbType = DbType.Int64;
            command.AddParameter("@maxFamily", _maxFamilyId);
            command.AddParameter("@maxPerson", _maxPersonId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>Keys and row hashes of the registry, read inside the import's transaction (after its lock): those a
        /// small file can look up, or the whole registry's.</summary>
        private async Task PreloadRegistryAsync(CancellationToken cancellationToken)
        {
            var file = input.ReadsWholeRegistry ? null : await KeysOfSmallFileAsync(cancellationToken);
            report.KeysOfFileOnly = file is not null;
            _registry = file is { } keys
                ? await RegistryKeys.ReadForFileAsync(_database, connection, transaction, keys.Niks, keys.NoKks, cancellationToken)
                : await RegistryKeys.ReadAsync(connection, transaction, cancellationToken);
            _maxFamilyId = _registry.MaxFamilyId;
            _maxPersonId = _registry.MaxPersonId;
            if (input.RegionScope is { Length: > 0 } scope)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT id FROM families WHERE kode_desa = @scope OR substr(kode_desa, 1, @length) = @prefix";
                command.AddParameter("@scope", scope);
                command.AddParameter("@length", scope.Length + 1);
                command.AddParameter("@prefix", scope + ".");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    _familiesInScope.Add(reader.GetInt64(0));
                }
            }
            // Ids of deleted rows are never reused: take the sequence's high-water mark too.
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                var dialect = _database.Dialect;
                command.CommandText = $"SELECT COALESCE({dialect.LastIssuedId("families")}, 0), COALESCE({dialect.LastIssuedId("persons")}, 0)";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    _maxFamilyId = Math.Max(_maxFamilyId, Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                    _maxPersonId = Math.Max(_maxPersonId, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
                }
            }
        }

        /// <summary>A file with more NIKs than this share of the registry's persons reads the whole registry's keys: a
        /// regency's file names most of the registry, and one scan is then cheaper than its lookups.</summary>
        private const int SmallFileShare = 8;

        /// <summary>
        /// The NIKs and NO_KKs of a file small beside the registry — a village's file into a regency's registry, the common
        /// case of a regency receiving its villages' files — read ahead through its profile, so that only their keys are
        /// read (<see cref="RegistryKeys.ReadForFileAsync"/>) and a partial update does not cost a read of the whole
        /// registry. Null for a large file, a layout that names persons through the registry (BDT 2015), or a file the
        /// read-ahead cannot read: the import's own pass reports what is wrong with it.
        /// </summary>
        private async Task<(HashSet<long> Niks, HashSet<long> NoKks)?> KeysOfSmallFileAsync(CancellationToken cancellationToken)
        {
            long registryPersons;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT COALESCE(MAX(id), 0) FROM persons";
                registryPersons = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }
            var limit = registryPersons / SmallFileShare;
            // A CSV's length over 160 errs high; an XLSX's low, and its read-ahead stops at the limit instead.
            if (limit == 0 || (!input.FilePath.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) && !input.FilePath.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase)
                && ExpectedRows(input.FilePath) > 2 * limit))
            {
                return null;
            }
            try
            {
                // Its own profile context: the read-ahead must not number the file's temporary NIKs before the import does.
                var opened = ImportProfiles.Open(input.FilePath, input.Profile, new ProfileContext(input.Village, input.SourceName));
                using var reader = opened.Reader;
                if (opened.Profile is not (ImportProfiles.Tuntas or ImportProfiles.OpenSidPenduduk or ImportProfiles.OpenSidDtks))
                {
                    return null;
                }
                var header = reader.Header.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
                var nikColumn = header.FindIndex(h => h.Equals("NIK", StringComparison.OrdinalIgnoreCase));
                var noKkColumn = header.FindIndex(h => h.Equals("NO_KK", StringComparison.OrdinalIgnoreCase));
                var niks = new HashSet<long>();
                var noKks = new HashSet<long>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // As the row parser reads them (RegistryFields.Parse): trimmed, then Nik/NoKk's normalisation.
                    if (Key(nikColumn) is { } nik)
                    {
                        niks.Add(nik);
                    }
                    if (Key(noKkColumn) is { } noKk)
                    {
                        noKks.Add(noKk);
                    }
                    if (niks.Count > limit)
                    {
                        return null;
                    }
                }
                return (niks, noKks);

                long? Key(int column) =>
                    column >= 0 && column < reader.FieldCount && IdentifierText.Normalize(reader[column].Trim(), out var digits) is null
                        ? long.Parse(digits, CultureInfo.InvariantCulture) : null;
            }
            catch (Exception e) when (e is TabularFormatException or IOException or InvalidDataException)
            {
                return null;
            }
        }

        private Family NewFamily() => new() { NoKk = "", KodeDesa = "", CreatedAt = _now, UpdatedAt = _now };

        private Person NewPerson() => new() { Nik = "", Nama = "", NamaKunci = "", CreatedAt = _now, UpdatedAt = _now };
    }
}
