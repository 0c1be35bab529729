using System.Data.Common;
using Microsoft.Extensions.Options;
using Tuntas.Imports.Tabular;
using Tuntas.P2kp.Loans;
using Tuntas.Registry;
using static Tuntas.P2kp.LoanBook.LoanBookParser;

namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// Imports a UPK loan book exactly as LOAN-BOOK-FORMAT.md says: every sheet parsed and every check of §6 run before
/// anything is written; then, in one transaction, all stored data of each UPK in the book is replaced (other UPKs are
/// untouched, so the same book imported twice changes nothing) on the provider's bulk path (SQLite prepared inserts,
/// PostgreSQL binary COPY), with each loan's schedule (§3) stored beside it.
/// </summary>
/// <param name="regency">Its time zone says what "today" is, the day a member's NIK is checked against (a birth date
/// not in the future): WIB's morning is still yesterday in UTC.</param>
public sealed class ImportLoanBook(TuntasDatabase database, TimeProvider clock, IOptions<Regions.RegencyOptions>? regency = null)
{
    /// <param name="Scope">The importer's scope: a UPK or KSM of a desa outside it is refused (OUTSIDE_SCOPE), and so is a
    /// UPK code stored for a desa outside it (UPK_OUTSIDE_SCOPE); null = the regency (CLI).</param>
    public sealed record Input(string Path, string FileName, bool DryRun, Access.AccessScope? Scope = null);

    public async Task<LoanBookReport> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var report = new LoanBookReport { File = input.FileName, DryRun = input.DryRun };
        HashSet<string> villages;
        await using (var db = database.CreateDb())
        {
            villages = [.. await db.Regions.AsNoTracking().Where(r => r.Level == Regions.Region.Village).Select(r => r.Code).ToListAsync(cancellationToken)];
        }
        var parser = new LoanBookParser(villages, Regions.RegencyOptions.Of(regency).Today(clock), report);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name)
        {
            report.Timings.Add((name, watch.Elapsed.TotalSeconds));
            watch.Restart();
        }
        try
        {
            LoanBookSheets.Read(input.Path, parser.Read);
        }
        catch (TabularFormatException e)
        {
            report.Failure = e.MessageId + " / " + e.Message;
            return report;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            report.Failure = LoanBookMessages.Issue("", null, null, null, "FILE_UNREADABLE", e.Message).Message;
            return report;
        }
        parser.Finish();
        Phase("read");
        var book = Check(parser, report);
        if (input.Scope is { IsRegencyWide: false } scope)
        {
            await CheckScopeAsync(parser, scope, report, cancellationToken);
        }
        var persons = await RegistryPersonsAsync(parser.Members.Where(m => m.Nik is not null).Select(m => m.Nik!).Distinct().ToList(), cancellationToken);
        foreach (var member in parser.Members.Where(m => m.Nik is not null && !persons.ContainsKey(m.Nik)))
        {
            report.Warnings.Add(LoanBookMessages.Issue("ANGGOTA", member.Row, "NIK", Nik.Mask(member.Nik!), "NIK_NOT_IN_REGISTRY"));
        }
        Phase("check");
        if (report.Errors.Count > 0 || input.DryRun)
        {
            return report;
        }
        await WriteAsync(book, persons, cancellationToken);
        Phase("write");
        report.Committed = true;
        return report;
    }

    /// <summary>
    /// A book replaces everything stored under each of its UPK codes (§7), so a book from an importer with a narrower scope
    /// than the regency may name only villages within it: its UPKs' and KSMs' desa (a KSM of another village would be
    /// that village's operator's to read and to record repayments on), and no code already stored for a UPK of another
    /// village — a village operator's book naming a neighbour's UPK code had emptied that UPK and moved it.
    /// </summary>
    private async Task CheckScopeAsync(LoanBookParser parser, Access.AccessScope scope, LoanBookReport report, CancellationToken cancellationToken)
    {
        foreach (var upk in parser.Upks.Where(u => u.KodeDesa is not null && !scope.CoversVillage(u.KodeDesa)))
        {
            report.Errors.Add(LoanBookMessages.Issue("UPK", upk.Row, "KODE_DESA", upk.KodeDesa, "OUTSIDE_SCOPE"));
        }
        foreach (var ksm in parser.Ksms.Where(k => k.KodeDesa is not null && !scope.CoversVillage(k.KodeDesa)))
        {
            report.Errors.Add(LoanBookMessages.Issue("KSM", ksm.Row, "KODE_DESA", ksm.KodeDesa, "OUTSIDE_SCOPE"));
        }
        Dictionary<string, string> stored;
        await using (var db = database.CreateDb())
        {
            // Codes match case-insensitively, as the write matches them.
            stored = (await db.Upks.AsNoTracking().Select(u => new { u.Kode, u.KodeDesa }).ToListAsync(cancellationToken))
                .DistinctBy(u => u.Kode, StringComparer.OrdinalIgnoreCase).ToDictionary(u => u.Kode, u => u.KodeDesa, StringComparer.OrdinalIgnoreCase);
        }
        foreach (var upk in parser.Upks.Where(u => u.Kode is not null && stored.TryGetValue(u.Kode, out var desa) && !scope.CoversVillage(desa)))
        {
            report.Errors.Add(LoanBookMessages.Issue("UPK", upk.Row, "KODE_UPK", upk.Kode, "UPK_OUTSIDE_SCOPE"));
        }
    }

    /// <summary>The rows that survived their checks, keyed by the first row of each key.</summary>
    private sealed record Book(
        Dictionary<string, UpkRow> Upks, Dictionary<string, KsmRow> Ksms, List<MemberRow> Members,
        Dictionary<string, LoanRow> Loans, List<PaymentRow> Payments, List<OperationRow> Operations, List<CapitalRow> Capital);

    private static Book Check(LoanBookParser parser, LoanBookReport report)
    {
        void Error(string sheet, long row, string column, string? value, string code, string? detail = null) =>
            report.Errors.Add(LoanBookMessages.Issue(sheet, row, column, value, code, detail));
        string Row(long row) => row.ToString(CultureInfo.InvariantCulture);

        var upks = new Dictionary<string, UpkRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var u in parser.Upks.Where(u => u.Kode is not null))
        {
            if (!upks.TryAdd(u.Kode!, u))
            {
                Error("UPK", u.Row, "KODE_UPK", u.Kode, "DUPLICATE_KEY", Row(upks[u.Kode!].Row));
            }
        }
        var ksms = new Dictionary<string, KsmRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in parser.Ksms)
        {
            if (k.Kode is not null && !ksms.TryAdd(k.Kode, k))
            {
                Error("KSM", k.Row, "KODE_KSM", k.Kode, "DUPLICATE_KEY", Row(ksms[k.Kode].Row));
            }
            if (k.UpkKode is not null && !upks.ContainsKey(k.UpkKode))
            {
                Error("KSM", k.Row, "KODE_UPK", k.UpkKode, "UNKNOWN_UPK");
            }
        }
        var members = new Dictionary<(string, string), MemberRow>();
        foreach (var m in parser.Members)
        {
            if (m.KsmKode is not null && !ksms.ContainsKey(m.KsmKode))
            {
                Error("ANGGOTA", m.Row, "KODE_KSM", m.KsmKode, "UNKNOWN_KSM");
            }
            if (m.KsmKode is not null && m.Nik is not null && !members.TryAdd((m.KsmKode.ToUpperInvariant(), m.Nik), m))
            {
                Error("ANGGOTA", m.Row, "NIK", Nik.Mask(m.Nik), "DUPLICATE_KEY", Row(members[(m.KsmKode.ToUpperInvariant(), m.Nik)].Row));
            }
        }
        var byKsm = members.Values.ToLookup(m => m.KsmKode!, StringComparer.OrdinalIgnoreCase);
        foreach (var k in ksms.Values)
        {
            var own = byKsm[k.Kode!].ToList();
            if (own.Count > 0 && own.Count is < 5 or > 10)
            {
                report.Warnings.Add(LoanBookMessages.Issue("KSM", k.Row, "KODE_KSM", k.Kode, "KSM_SIZE", own.Count.ToString(CultureInfo.InvariantCulture)));
            }
            if (k.KetuaNik is not null && !own.Any(m => m.Nik == k.KetuaNik && m.Role == "KETUA"))
            {
                report.Warnings.Add(LoanBookMessages.Issue("KSM", k.Row, "NIK_KETUA", Nik.Mask(k.KetuaNik), "KETUA_NOT_MEMBER"));
            }
        }
        var loans = new Dictionary<string, LoanRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var l in parser.Loans)
        {
            if (l.Nomor is not null && !loans.TryAdd(l.Nomor, l))
            {
                Error("PINJAMAN", l.Row, "NO_PINJAMAN", l.Nomor, "DUPLICATE_KEY", Row(loans[l.Nomor].Row));
            }
            if (l.KsmKode is not null && !ksms.ContainsKey(l.KsmKode))
            {
                Error("PINJAMAN", l.Row, "KODE_KSM", l.KsmKode, "UNKNOWN_KSM");
            }
            if (l.DisbursedOn is { } cair && l.FirstDue is { } first && first <= cair)
            {
                Error("PINJAMAN", l.Row, "TANGGAL_ANGSURAN_PERTAMA", Iso(first), "DATE_ORDER", Iso(cair));
            }
        }
        foreach (var p in parser.Payments)
        {
            if (p.Nomor is null)
            {
                continue;
            }
            if (!loans.TryGetValue(p.Nomor, out var loan))
            {
                Error("PEMBAYARAN", p.Row, "NO_PINJAMAN", p.Nomor, "UNKNOWN_LOAN");
            }
            else if (p.PaidOn is { } paid && loan.DisbursedOn is { } cair && paid < cair)
            {
                Error("PEMBAYARAN", p.Row, "TANGGAL_BAYAR", Iso(paid), "PAYMENT_BEFORE_DISBURSEMENT", Iso(cair));
            }
        }
        // OVERPAID: per loan, payments by date then row; the one where the running principal first exceeds POKOK.
        foreach (var group in parser.Payments.Where(p => p.Nomor is not null && p.PaidOn is not null && p.Principal is not null && loans.ContainsKey(p.Nomor))
                     .GroupBy(p => loans[p.Nomor!], ReferenceEqualityComparer.Instance))
        {
            if (((LoanRow)group.Key!).Principal is not { } principal)
            {
                continue;
            }
            long running = 0;
            foreach (var p in group.OrderBy(p => p.PaidOn).ThenBy(p => p.Row))
            {
                running += p.Principal!.Value;
                if (running > principal)
                {
                    Error("PEMBAYARAN", p.Row, "POKOK", p.Principal.Value.ToString(CultureInfo.InvariantCulture), "OVERPAID",
                        principal.ToString(CultureInfo.InvariantCulture));
                    break;
                }
            }
        }
        var months = new Dictionary<(string, string), OperationRow>();
        foreach (var o in parser.Operations)
        {
            if (o.UpkKode is not null && !upks.ContainsKey(o.UpkKode))
            {
                Error("OPERASIONAL", o.Row, "KODE_UPK", o.UpkKode, "UNKNOWN_UPK");
            }
            if (o.UpkKode is not null && o.Month is not null && !months.TryAdd((o.UpkKode.ToUpperInvariant(), o.Month), o))
            {
                Error("OPERASIONAL", o.Row, "BULAN", o.Month, "DUPLICATE_KEY", Row(months[(o.UpkKode.ToUpperInvariant(), o.Month)].Row));
            }
        }
        foreach (var c in parser.Capital.Where(c => c.UpkKode is not null && !upks.ContainsKey(c.UpkKode)))
        {
            Error("MODAL", c.Row, "KODE_UPK", c.UpkKode, "UNKNOWN_UPK");
        }
        return new Book(upks, ksms, parser.Members, loans, parser.Payments, parser.Operations, parser.Capital);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, long>> RegistryPersonsAsync(List<string> niks, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var db = database.CreateDb();
        foreach (var chunk in niks.Chunk(500))
        {
            foreach (var p in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Nik)).Select(p => new { p.Nik, p.Id }).ToListAsync(cancellationToken))
            {
                found[p.Nik] = p.Id;
            }
        }
        return found;
    }

    private async Task WriteAsync(Book book, Dictionary<string, long> persons, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // A book of a regency is millions of index entries (as ImportFamilies).
        await database.WidenPageCacheAsync(connection, 262_144, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        async Task<long> ScalarAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);
        }
        async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value ?? DBNull.Value);
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // UPKs: keep the id of one already stored (matched case-insensitively), replacing everything under it.
        var stored = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, kode FROM upk";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.TryAdd(reader.GetString(1), reader.GetInt64(0));
            }
        }
        var upkIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var replaced = book.Upks.Keys.Where(stored.ContainsKey).Select(k => stored[k]).ToList();
        if (replaced.Count > 0 && replaced.Count == stored.Count)
        {
            // The book replaces every stored UPK: emptying the tables is the same result without deleting row by row.
            await database.EmptyTablesAsync(connection, transaction,
                ["upk_repayments", "upk_installments", "upk_loan_shares", "upk_loans", "ksm_members", "ksm", "upk_operations", "upk_capital"], cancellationToken);
        }
        else if (replaced.Count > 0)
        {
            await DeleteUpkBooksAsync(ExecuteAsync, replaced);
        }
        // Into empty tables (a first book, or one replacing every stored UPK) PostgreSQL checks the foreign keys of the
        // large child tables once, after the COPY, instead of one trigger per row at the end of each COPY (2.3 M rows:
        // the bulk of the write).
        var checkKeysAfter = replaced.Count == stored.Count
            && await database.DropForeignKeysAsync(connection, transaction, _deferredKeys, cancellationToken);
        foreach (var u in book.Upks.Values)
        {
            object? founded = u.FoundedOn is { } f ? database.DateParameter(f) : null;
            if (stored.TryGetValue(u.Kode!, out var id))
            {
                await ExecuteAsync("UPDATE upk SET name = @name, kode_desa = @desa, founded_on = @founded WHERE id = @id",
                    ("@name", u.Name), ("@desa", u.KodeDesa), ("@founded", founded), ("@id", id));
            }
            else
            {
                id = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM upk");
                await ExecuteAsync("INSERT INTO upk (id, kode, name, kode_desa, founded_on) VALUES (@id, @kode, @name, @desa, @founded)",
                    ("@id", id), ("@kode", u.Kode), ("@name", u.Name), ("@desa", u.KodeDesa), ("@founded", founded));
            }
            upkIds[u.Kode!] = id;
        }

        var nextKsm = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM ksm");
        var ksmRows = new List<Ksm>();
        var ksmIds = new Dictionary<string, (long Id, long UpkId)>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in book.Ksms.Values)
        {
            var ksm = new Ksm
            {
                Id = nextKsm++,
                UpkId = upkIds[k.UpkKode!],
                Kode = k.Kode!,
                Name = k.Name!,
                KodeDesa = k.KodeDesa!,
                Jenis = k.Jenis!,
                FormedOn = k.FormedOn,
                KetuaNik = k.KetuaNik,
            };
            ksmRows.Add(ksm);
            ksmIds[k.Kode!] = (ksm.Id, ksm.UpkId);
        }
        await BulkAsync(connection, transaction, "ksm", P2kpColumns.Ksm, ksmRows, cancellationToken);

        var nextMember = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM ksm_members");
        var memberRows = book.Members.Where(m => m.KsmKode is not null && m.Nik is not null).Select(m => new KsmMember
        {
            Id = nextMember++,
            KsmId = ksmIds[m.KsmKode!].Id,
            Nik = m.Nik!,
            Name = m.Name!,
            Role = m.Role!,
            PersonId = persons.TryGetValue(m.Nik!, out var person) ? person : null,
        }).ToList();
        await BulkAsync(connection, transaction, "ksm_members", P2kpColumns.KsmMember, memberRows, cancellationToken);

        var nextLoan = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM upk_loans");
        var loanIds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var loanRows = new List<UpkLoan>(book.Loans.Count);
        foreach (var l in book.Loans.Values)
        {
            var (ksmId, upkId) = ksmIds[l.KsmKode!];
            var loan = new UpkLoan
            {
                Id = nextLoan++,
                UpkId = upkId,
                KsmId = ksmId,
                Nomor = l.Nomor!,
                Status = LoanStatus.Disbursed,
                Principal = l.Principal!.Value,
                RateHundredths = l.RateHundredths!.Value,
                Method = l.Method!,
                TermMonths = l.Term!.Value,
                FirstDueOn = l.FirstDue,
                ProposedOn = l.DisbursedOn,
                ApprovedOn = l.DisbursedOn,
                DisbursedOn = l.DisbursedOn,
            };
            loanRows.Add(loan);
            loanIds[l.Nomor!] = loan.Id;
        }
        await BulkAsync(connection, transaction, "upk_loans", P2kpColumns.Loan, loanRows, cancellationToken);
        await BulkAsync(connection, transaction, "upk_installments", P2kpColumns.Installment, loanRows.SelectMany(ScheduleOf), cancellationToken);

        var nextRepayment = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM upk_repayments");
        await BulkAsync(connection, transaction, "upk_repayments", P2kpColumns.Repayment, book.Payments.Select(p => new UpkRepayment
        {
            Id = nextRepayment++,
            LoanId = loanIds[p.Nomor!],
            PaidOn = p.PaidOn!.Value,
            Principal = p.Principal!.Value,
            Service = p.Service!.Value,
        }), cancellationToken);
        await BulkAsync(connection, transaction, "upk_operations", P2kpColumns.Operation, book.Operations.Select(o => new UpkOperation
        {
            UpkId = upkIds[o.UpkKode!],
            Month = o.Month!,
            Income = o.Income!.Value,
            Costs = o.Costs!.Value,
        }), cancellationToken);
        var nextCapital = await ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM upk_capital");
        await BulkAsync(connection, transaction, "upk_capital", P2kpColumns.Capital, book.Capital.Select(c => new UpkCapital
        {
            Id = nextCapital++,
            UpkId = upkIds[c.UpkKode!],
            Source = c.Source!,
            ReceivedOn = c.ReceivedOn!.Value,
            Amount = c.Amount!.Value,
        }), cancellationToken);

        if (checkKeysAfter)
        {
            await BulkWriteSteps.AddForeignKeysAsync(connection, transaction, _deferredKeys, cancellationToken);
        }
        // Rows were written with their ids, for the back office's own inserts; the indicators and the next import plan
        // their joins on the real row counts.
        await database.MoveIdentitiesPastAsync(connection, transaction, ["upk", "ksm", "ksm_members", "upk_loans", "upk_repayments", "upk_capital"], cancellationToken);
        await database.AnalyzeAsync(connection, transaction, ["upk_loans", "upk_installments", "upk_repayments", "ksm", "ksm_members"], cancellationToken);
        // This bulk path bypasses EF: the web request's audit record goes into the same transaction by hand.
        await Audit.PendingChanges.WriteAsync(transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The foreign keys of the book's large tables, as migration 0015 created them (PostgreSQL's default names).</summary>
    private static readonly ForeignKey[] _deferredKeys =
    [
        new("ksm_members", "ksm_members_ksm_id_fkey", "FOREIGN KEY (ksm_id) REFERENCES ksm (id)"),
        new("upk_loans", "upk_loans_ksm_id_fkey", "FOREIGN KEY (ksm_id) REFERENCES ksm (id)"),
        new("upk_installments", "upk_installments_loan_id_fkey", "FOREIGN KEY (loan_id) REFERENCES upk_loans (id)"),
        new("upk_repayments", "upk_repayments_loan_id_fkey", "FOREIGN KEY (loan_id) REFERENCES upk_loans (id)"),
    ];

    internal static IEnumerable<UpkInstallment> ScheduleOf(UpkLoan loan) =>
        LoanSchedule.Build(loan.Principal, loan.RateHundredths, loan.Method, loan.TermMonths, loan.FirstDueOn!.Value)
            .Select(i => new UpkInstallment { LoanId = loan.Id, K = i.K, DueOn = i.DueOn, Principal = i.Principal, Service = i.Service });

    /// <summary>
    /// Everything stored under the replaced UPKs, children first (the UPK rows stay), one statement per table for all of
    /// them: per-UPK statements made PostgreSQL scan the freshly loaded, not yet analysed tables once per UPK.
    /// </summary>
    private static async Task DeleteUpkBooksAsync(Func<string, (string, object?)[], Task> execute, IReadOnlyList<long> upkIds)
    {
        // The ids are our own integers, never user text: inlined as a list.
        var ids = string.Join(", ", upkIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var loans = $"SELECT id FROM upk_loans WHERE upk_id IN ({ids})";
        foreach (var sql in new[]
        {
            $"DELETE FROM upk_repayments WHERE loan_id IN ({loans})",
            $"DELETE FROM upk_installments WHERE loan_id IN ({loans})",
            $"DELETE FROM upk_loan_shares WHERE loan_id IN ({loans})",
            $"DELETE FROM upk_loans WHERE upk_id IN ({ids})",
            $"DELETE FROM ksm_members WHERE ksm_id IN (SELECT id FROM ksm WHERE upk_id IN ({ids}))",
            $"DELETE FROM ksm WHERE upk_id IN ({ids})",
            $"DELETE FROM upk_operations WHERE upk_id IN ({ids})",
            $"DELETE FROM upk_capital WHERE upk_id IN ({ids})",
        })
        {
            await execute(sql, []);
        }
    }

    private async Task BulkAsync<T>(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn<T>> columns,
        IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var insert = await BulkInsert<T>.StartAsync(database, connection, transaction, table, columns, cancellationToken);
        foreach (var row in rows)
        {
            await insert.AddAsync(row, cancellationToken);
        }
        await insert.CompleteAsync(cancellationToken);
    }
}
