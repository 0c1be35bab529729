using Tuntas.Registry;
using Tuntas.Targeting;

namespace Tuntas.Programs;

/// <summary>
/// Demo recipients for the demo regency: enrolls families and members in the seeded programs from the imported official
/// decile and member facts, with the errors real lists have — some eligible families missed, some well-off ones
/// included — so the integration matrix and the targeting error report have something to show. Deterministic for a
/// seed. Also sets each program's budget for the year and records three months of disbursements for monthly cash
/// programs. Only for demo data: it refuses a registry that already has enrollments.
/// </summary>
public sealed class SeedDemoEnrollments(TuntasDatabase database, TimeProvider clock)
{
    public sealed record Outcome(int Enrollments, int Disbursements);

    private sealed record Member(long Id, int Age, bool InSchool, bool Disabled, bool Pregnant);

    private sealed record FamilyFacts(long Id, long Key, int? Desil, List<Member> Members);

    public async Task<Outcome> RunAsync(int seed, int year, CancellationToken cancellationToken)
    {
        await using (var db = database.CreateDb())
        {
            if (await db.Enrollments.AnyAsync(cancellationToken))
            {
                return new Outcome(0, 0);
            }
        }
        var programs = await ProgramsAsync(cancellationToken);
        var families = await ReadFamiliesAsync(new DateOnly(year, 1, 1), cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var start = new DateOnly(year - 1, 7, 1);
        var enrollments = new List<Enrollment>();
        var nextId = await NextIdAsync("enrollments", cancellationToken);
        void Enroll(string code, long familyId, long? personId)
        {
            if (!programs.TryGetValue(code, out var program)) return;
            enrollments.Add(new Enrollment
            {
                Id = nextId++,
                ProgramId = program.Id,
                FamilyId = familyId,
                PersonId = personId,
                Status = ProgramTerms.Enrolled,
                StartedOn = start,
                CreatedBy = "demo",
                CreatedAt = now,
                UpdatedAt = now,
            });
        }
        foreach (var f in families)
        {
            // One reproducible draw per family and program: a list's errors, not the model's.
            // Keyed by NO_KK, not by the database id: the same registry gives the same recipients on SQLite and PostgreSQL.
            double Draw(int salt) => (double)((ulong)StableHash.Mix(f.Key * 31 + salt + seed * 7919L) % 10_000) / 10_000;
            var d = f.Desil ?? 10;
            var child = f.Members.Any(m => m.Age <= 6);
            var school = f.Members.Where(m => m.InSchool && m.Age is >= 6 and <= 21).ToList();
            var disabled = f.Members.Where(m => m.Disabled).ToList();
            var elderly = f.Members.Any(m => m.Age >= 70);
            var component = child || school.Count > 0 || disabled.Count > 0 || elderly || f.Members.Any(m => m.Pregnant);
            if ((d <= 3 && component && Draw(1) < 0.75) || (d is >= 4 and <= 7 && Draw(1) < 0.03)) Enroll("PKH", f.Id, null);
            if ((d <= 3 && Draw(2) < 0.70) || (d is >= 4 and <= 6 && Draw(2) < 0.08)) Enroll("BPNT", f.Id, null);
            if ((d <= 4 && Draw(3) < 0.80) || (d is >= 5 and <= 7 && Draw(3) < 0.05))
            {
                foreach (var m in f.Members) Enroll("PBIJK", f.Id, m.Id);
            }
            if (d <= 4 && Draw(4) < 0.50)
            {
                foreach (var m in school) Enroll("PIP", f.Id, m.Id);
            }
            if ((d <= 2 && Draw(5) < 0.30) || Draw(5) < 0.02) Enroll("BLTDD", f.Id, null);
            if (d <= 4 && Draw(6) < 0.40)
            {
                foreach (var m in disabled) Enroll("ASPD", f.Id, m.Id);
            }
            if (d <= 3 && Draw(7) < 0.02) Enroll("BSPS", f.Id, null);
        }
        var monthly = programs.Values.Where(p => p.Period == "bulan" && p.BenefitKind != "layanan" && p.Amount is not null).ToDictionary(p => p.Id);
        var disbursements = new List<Disbursement>();
        var nextDisbursement = await NextIdAsync("disbursements", cancellationToken);
        foreach (var e in enrollments.Where(e => monthly.ContainsKey(e.ProgramId)))
        {
            for (var month = 1; month <= 3; month++)
            {
                disbursements.Add(new Disbursement
                {
                    Id = nextDisbursement++,
                    EnrollmentId = e.Id,
                    Period = string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}"),
                    Amount = monthly[e.ProgramId].Amount!.Value,
                    PaidOn = new DateOnly(year, month, 25),
                    Channel = "bank",
                    CreatedAt = now,
                });
            }
        }
        await WriteAsync(programs, enrollments, disbursements, year, now, cancellationToken);
        return new Outcome(enrollments.Count, disbursements.Count);
    }

    private async Task<Dictionary<string, AssistanceProgram>> ProgramsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateDb();
        return await db.Programs.AsNoTracking().ToDictionaryAsync(p => p.Code, cancellationToken);
    }

    private async Task<long> NextIdAsync(string table, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<List<FamilyFacts>> ReadFamiliesAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var families = new Dictionary<long, FamilyFacts>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, desil_nasional, no_kk FROM families ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                families[id] = new FamilyFacts(id, long.Parse(reader.GetString(2), CultureInfo.InvariantCulture), reader.IsDBNull(1) ? null : Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), []);
            }
        }
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, family_id, tanggal_lahir, status_sekolah, disabilitas, hamil FROM persons ORDER BY id";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var birth = reader.GetFieldValue<DateOnly>(2);
                var age = Targeting.Snapshot.LoadRegistrySnapshot.AgeOn(birth, asOf);
                if (families.TryGetValue(reader.GetInt64(1), out var family))
                {
                    family.Members.Add(new Member(reader.GetInt64(0), age,
                        !reader.IsDBNull(3) && Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture) == 1,
                        Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture) != 0,
                        !reader.IsDBNull(5) && Convert.ToBoolean(reader.GetValue(5), CultureInfo.InvariantCulture)));
                }
            }
        }
        return [.. families.Values];
    }

    private static BulkColumn<T> C<T>(string sql, ColumnKind kind, Func<T, ColumnValue> get) => new(sql, kind, get);

    private static readonly IReadOnlyList<BulkColumn<Enrollment>> _enrollmentColumns =
    [
        C<Enrollment>("id", ColumnKind.Long, e => e.Id), C<Enrollment>("program_id", ColumnKind.Long, e => e.ProgramId),
        C<Enrollment>("family_id", ColumnKind.Long, e => e.FamilyId), C<Enrollment>("person_id", ColumnKind.Long, e => e.PersonId),
        C<Enrollment>("status", ColumnKind.Text, e => e.Status), C<Enrollment>("started_on", ColumnKind.Date, e => e.StartedOn),
        C<Enrollment>("created_by", ColumnKind.Text, e => e.CreatedBy), C<Enrollment>("created_at", ColumnKind.Timestamp, e => e.CreatedAt),
        C<Enrollment>("updated_at", ColumnKind.Timestamp, e => e.UpdatedAt),
    ];

    private static readonly IReadOnlyList<BulkColumn<EnrollmentEvent>> _eventColumns =
    [
        C<EnrollmentEvent>("enrollment_id", ColumnKind.Long, e => e.EnrollmentId), C<EnrollmentEvent>("status", ColumnKind.Text, e => e.Status),
        C<EnrollmentEvent>("effective_on", ColumnKind.Date, e => e.EffectiveOn), C<EnrollmentEvent>("note", ColumnKind.Text, e => e.Note),
        C<EnrollmentEvent>("recorded_by", ColumnKind.Text, e => e.RecordedBy), C<EnrollmentEvent>("recorded_at", ColumnKind.Timestamp, e => e.RecordedAt),
    ];

    private static readonly IReadOnlyList<BulkColumn<Disbursement>> _disbursementColumns =
    [
        C<Disbursement>("id", ColumnKind.Long, d => d.Id), C<Disbursement>("enrollment_id", ColumnKind.Long, d => d.EnrollmentId),
        C<Disbursement>("period", ColumnKind.Text, d => d.Period), C<Disbursement>("amount", ColumnKind.Long, d => d.Amount),
        C<Disbursement>("paid_on", ColumnKind.Date, d => d.PaidOn), C<Disbursement>("channel", ColumnKind.Text, d => d.Channel),
        C<Disbursement>("created_at", ColumnKind.Timestamp, d => d.CreatedAt),
    ];

    private async Task WriteAsync(Dictionary<string, AssistanceProgram> programs, List<Enrollment> enrollments, List<Disbursement> disbursements,
        int year, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, null, cancellationToken);
        await using (var bulk = await BulkInsert<Enrollment>.StartAsync(database, connection, transaction, "enrollments", _enrollmentColumns, cancellationToken))
        {
            foreach (var e in enrollments) await bulk.AddAsync(e, cancellationToken);
            await bulk.CompleteAsync(cancellationToken);
        }
        await using (var bulk = await BulkInsert<EnrollmentEvent>.StartAsync(database, connection, transaction, "enrollment_events", _eventColumns, cancellationToken))
        {
            foreach (var e in enrollments)
            {
                await bulk.AddAsync(new EnrollmentEvent
                {
                    EnrollmentId = e.Id,
                    Status = ProgramTerms.Enrolled,
                    EffectiveOn = e.StartedOn,
                    Note = "data demo",
                    RecordedBy = "demo",
                    RecordedAt = now,
                }, cancellationToken);
            }
            await bulk.CompleteAsync(cancellationToken);
        }
        await using (var bulk = await BulkInsert<Disbursement>.StartAsync(database, connection, transaction, "disbursements", _disbursementColumns, cancellationToken))
        {
            foreach (var d in disbursements) await bulk.AddAsync(d, cancellationToken);
            await bulk.CompleteAsync(cancellationToken);
        }
        // A year's budget: the open enrollments at the program's yearly value, where it has one.
        var perProgram = enrollments.GroupBy(e => e.ProgramId).ToDictionary(g => g.Key, g => g.Count());
        foreach (var program in programs.Values.Where(p => p.Amount is not null && perProgram.ContainsKey(p.Id)))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO program_budgets (program_id, year, amount) VALUES (@p, @y, @a)";
            command.AddParameter("@p", program.Id);
            command.AddParameter("@y", year);
            command.AddParameter("@a", program.Amount!.Value * (program.Period == "sekali" ? 1 : ProgramTerms.PerYear(program.Period)) * perProgram[program.Id]);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        // Identity columns were given explicit ids.
        await database.MoveIdentitiesPastAsync(connection, transaction, ["enrollments", "disbursements"], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
