using Tuntas.Programs;

namespace Tuntas.PublicPortal;

/// <summary>
/// The status check's reads, for every check in flight at once. Measured on PostgreSQL with one statement per check
/// (300,000 families, 50 connections): 0.28–0.32 ms of the database server's CPU and 0.3–0.4 ms of the web app's per
/// check, almost all of it the cost of a statement (a round trip, bind and execute, the pooled connection's open and
/// close), not of the two index seeks it does. So checks that arrive while a batch is being read wait for the next
/// batch, and a batch reads all its NIKs in one statement and the matched families' programs in a second. Nothing waits
/// on a timer: a check that finds no batch running starts one of its own (a batch of one), so a quiet portal answers
/// as fast as before and a busy one pays a statement per batch instead of per check.
/// <para>
/// The work per NIK stays the same whatever the NIK is (<see cref="CheckStatus"/>): every slot of the batch reads one
/// person — the NIK's living person, else the registry's first person as a stand-in, found once per batch for all its
/// slots — and the caller's comparison runs against whoever was read. Batches are padded to a power of two so that PostgreSQL keeps
/// seven prepared shapes, not sixty-four.
/// </para>
/// </summary>
public sealed class StatusLookups(TuntasDatabase database)
{
    public const int MaxBatch = 64;

    /// <summary>Batches read side by side: while one waits for the database, the next one gathers.</summary>
    private const int MaxReaders = 2;

    /// <summary>The person read for a NIK (or the stand-in: <see cref="Nik"/> then differs from the one asked).</summary>
    public sealed record Person(long FamilyId, string Nama, string NoKk, string Nik);

    /// <summary><see cref="Programs"/> is read only when the caller's comparison said the person matched.</summary>
    public sealed record Found(Person? Person, bool Matched, IReadOnlyList<CheckStatus.ProgramStatus> Programs);

    private sealed class Pending(string nik, Func<Person?, bool> matches)
    {
        public string Nik { get; } = nik;
        public Func<Person?, bool> Matches { get; } = matches;
        public Person? Person { get; set; }
        public bool Matched { get; set; }
        public TaskCompletionSource<Found> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static readonly int[] _sizes = [1, 2, 4, 8, 16, 32, MaxBatch];
    private static readonly string[] _personStatements = [.. _sizes.Select(PersonStatement)];
    private static readonly string[] _programStatements = [.. _sizes.Select(ProgramStatement)];

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _readers;

    /// <summary>
    /// Reads the person for <paramref name="nik"/> (or the stand-in) in the next batch, asks <paramref name="matches"/>
    /// whether the citizen's name or NO_KK matches that person, and for a match reads the family's open programs.
    /// </summary>
    public Task<Found> FindAsync(string nik, Func<Person?, bool> matches, CancellationToken cancellationToken)
    {
        var pending = new Pending(nik, matches);
        bool startReader;
        lock (_gate)
        {
            _waiting.Enqueue(pending);
            startReader = _readers < MaxReaders;
            if (startReader)
            {
                _readers++;
            }
        }
        if (startReader)
        {
            _ = Task.Run(ReadBatchesAsync, CancellationToken.None);
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Reads batches until none is waiting. A batch's reads are not cancelled by one caller leaving: the
    /// others in it still wait for their answers.</summary>
    private async Task ReadBatchesAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _readers--;
                    return;
                }
                batch = new List<Pending>(Math.Min(_waiting.Count, MaxBatch));
                while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }
            try
            {
                await ReadAsync(batch);
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }
        }
    }

    private async Task ReadAsync(List<Pending> batch)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var shape = Array.FindIndex(_sizes, size => size >= batch.Count);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = _personStatements[shape];
            for (var i = 0; i < _sizes[shape]; i++)
            {
                // Padding slots ask for a NIK no one has: they read the stand-in and are thrown away.
                command.AddParameter("@n" + i, i < batch.Count ? batch[i].Nik : "");
            }
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var slot = reader.GetInt32(0);
                if (slot < batch.Count)
                {
                    batch[slot].Person = new Person(reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
                }
            }
        }
        var families = new List<long>();
        foreach (var pending in batch)
        {
            pending.Matched = pending.Matches(pending.Person);
            if (pending.Matched && !families.Contains(pending.Person!.FamilyId))
            {
                families.Add(pending.Person.FamilyId);
            }
        }
        var programs = families.Count == 0 ? [] : await ReadProgramsAsync(connection, families);
        foreach (var pending in batch)
        {
            pending.Done.TrySetResult(new Found(pending.Person, pending.Matched,
                pending.Matched && programs.TryGetValue(pending.Person!.FamilyId, out var list) ? list : []));
        }
    }

    /// <summary>The matched families' open enrollments, of the family and of its members (e.g. PIP). MIN over the
    /// statuses: "ditangguhkan" &lt; "terdaftar", so a program suspended for any member shows as suspended.</summary>
    private static async Task<Dictionary<long, List<CheckStatus.ProgramStatus>>> ReadProgramsAsync(System.Data.Common.DbConnection connection, List<long> families)
    {
        var shape = Array.FindIndex(_sizes, size => size >= families.Count);
        var programs = new Dictionary<long, List<CheckStatus.ProgramStatus>>();
        await using var command = connection.CreateCommand();
        command.CommandText = _programStatements[shape];
        for (var i = 0; i < _sizes[shape]; i++)
        {
            command.AddParameter("@f" + i, families[Math.Min(i, families.Count - 1)]);
        }
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var family = reader.GetInt64(0);
            if (!programs.TryGetValue(family, out var list))
            {
                programs[family] = list = [];
            }
            list.Add(new CheckStatus.ProgramStatus(reader.GetString(1), reader.GetString(2),
                reader.GetString(3) == ProgramTerms.Enrolled ? "aktif" : "ditangguhkan"));
        }
        return programs;
    }

    /// <summary>One row per slot: the NIK's living person, else the stand-in (the registry's first person, found for
    /// the batch whatever its NIKs are), with the family's NO_KK: one index seek by NIK and one by key per slot. A CTE of VALUES, which SQLite and PostgreSQL
    /// both read.</summary>
    private static string PersonStatement(int size) => $"""
        WITH asked(slot, nik) AS (VALUES {string.Join(", ", Enumerable.Range(0, size).Select(i => $"({i}, @n{i})"))})
        SELECT asked.slot, p.family_id, p.nama, f.no_kk, p.nik
        FROM asked
        CROSS JOIN (SELECT MIN(id) AS id FROM persons) stand_in
        JOIN persons p ON p.id = COALESCE((SELECT x.id FROM persons x WHERE x.nik = asked.nik AND x.status_hidup = 1 LIMIT 1), stand_in.id)
        JOIN families f ON f.id = p.family_id
        """;

    private static string ProgramStatement(int size) => $"""
        SELECT e.family_id, pr.code, pr.name, MIN(e.status)
        FROM enrollments e
        JOIN programs pr ON pr.id = e.program_id
        WHERE e.family_id IN ({string.Join(", ", Enumerable.Range(0, size).Select(i => $"@f{i}"))}) AND e.status <> '{ProgramTerms.Exited}'
        GROUP BY e.family_id, pr.code, pr.name
        ORDER BY e.family_id, pr.code
        """;
}
