using Tuntas.Access;
using Tuntas.Imports;
using Tuntas.Imports.Tabular;
using Tuntas.Registry;

namespace Tuntas.Programs;

/// <summary>
/// Imports a program's recipient list (BNBA, CSV or XLSX) keyed by NIK or NO_KK with the name (OpenSID #10535:
/// desa receive exactly such lists from SIKS-NG). Columns: <c>NIK</c> and/or <c>NO_KK</c>, <c>NAMA</c>; optional
/// <c>NOMINAL</c> with <c>PERIODE</c> (YYYY-MM), <c>TANGGAL_SALUR</c>, <c>SALURAN</c> record a disbursement;
/// <c>TANGGAL_MULAI</c> the enrollment date.
/// Every row is matched to the registry and reported before anything is written. Malformed rows (bad NIK, amount
/// written ambiguously, missing name) are errors: then nothing is written. Otherwise, in one transaction, matched
/// rows — including name mismatches, since NIK is the legal identifier; they are listed for checking — are enrolled
/// (already-enrolled ones are left as they are) and their disbursements recorded once per period: the same file twice
/// changes nothing. Rows not in the registry are listed, never enrolled.
/// <para>
/// An importer limited to a region (a kecamatan's TKPKD coordinator) enrolls only recipients inside it: a row whose
/// recipient is registered elsewhere is counted and listed as outside the area, without the registry's name, KK or
/// village, and not enrolled; the "did you mean" hint names only persons inside the area. The report is read by the
/// importer, and the list would otherwise be a look-up of the regency's residents by NIK (UU PDP 27/2022, least
/// privilege), as the Duplicates check is (<see cref="Linkage.CheckDuplicate"/>).
/// </para>
/// </summary>
/// <param name="regency">Its time zone says what "today" is (an enrollment's start when the list gives none): WIB's
/// morning is still yesterday in UTC.</param>
public sealed class ImportRecipients(TuntasDatabase database, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Regions.RegencyOptions>? regency = null)
{
    /// <summary>Names at least this similar (Jaro-Winkler on the spelling key) count as the same name.</summary>
    public const double SameName = 0.90;

    public const int MaxListedRows = 5000;

    /// <summary>
    /// Errors listed per column: one mistake repeated on every row (a shifted column) is shown 100 times with its count,
    /// not 5,000 times, so the stored report stays kilobytes (as <see cref="ImportReport.MaxListedPerCode"/>).
    /// </summary>
    public const int MaxListedErrorsPerColumn = ImportReport.MaxListedPerCode;

    /// <param name="Scope">The importer's resolved access scope: recipients outside it are neither named nor enrolled.</param>
    /// <param name="Period">The month (YYYY-MM) of the rows that pay an amount without a PERIODE of their own: SIKS-NG's
    /// phase lists name the phase (TAHAP) and the amount, and the month only in the title or the file's name. Given by
    /// the importer on the upload, the CLI or the API; a row's own PERIODE stands.</param>
    public sealed record Input(string ProgramCode, string FilePath, string SourceName, bool DryRun, string By, AccessScope Scope, long? JobId = null,
        string? Period = null);

    private sealed record Line(long Row, string? Nik, string? NoKk, string Nama, long? Amount, string? Period, DateOnly? PaidOn, string? Channel, DateOnly? StartedOn,
        string? NomorKartu = null, string? IdArtBdt = null, string? IdSemesta = null, int? Tahap = null);

    /// <param name="NotLiving">The listed person (or, listed by NO_KK alone, every member of the family) is recorded
    /// as died, moved or missing: <see cref="LifeStatus"/> of the registry, not of the list.</param>
    /// <param name="NoKk">The registry's NO_KK of the family.</param>
    /// <param name="ByNoKk">Found by the line's NO_KK (a family program), not by its NIK.</param>
    /// <param name="MemberNik">Found by NO_KK: the NIK of the family's member who has the listed name, when one has.</param>
    private sealed record Target(long FamilyId, long? PersonId, string Name, string KodeDesa, string NoKk, int NotLiving = 0, bool ByNoKk = false,
        string? MemberNik = null);

    public async Task<RecipientMatchReport> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var code = input.ProgramCode.Trim().ToUpperInvariant();
        var report = new RecipientMatchReport { Program = code, File = input.SourceName, DryRun = input.DryRun };
        try
        {
            await using var db = database.CreateDb();
            var program = await db.Programs.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
            if (program is null)
            {
                report.Failure = $"Program '{code}' tidak ada / does not exist.";
                return report;
            }
            if (input.Period is { } given && RecipientListFields.Period(given) is null)
            {
                report.Failure = $"Periode '{Shorten(given)}' harus YYYY-MM (mis. 2026-03) / the period must be YYYY-MM (e.g. 2026-03).";
                return report;
            }
            var lines = Read(input.FilePath, report, program.TargetUnit, RecipientListFields.Period(input.Period ?? ""));
            if (report.Failure is not null)
            {
                return report;
            }
            var targets = await MatchAsync(db, program, lines, cancellationToken);
            var outside = OutsideScope(targets, input.Scope);
            await NameTheListedMemberAsync(db, targets, cancellationToken);
            var suggestions = await SuggestNiksAsync(db, input.Scope,
                lines.Where(l => l.Nik is not null && !outside.Contains(l) && (!targets.TryGetValue(l, out var t) || t.ByNoKk)), cancellationToken);
            var open = await OpenEnrollmentsAsync(db, program.Id, cancellationToken);
            var left = await ExitedAsync(db, program.Id, cancellationToken);
            var countedEnrolled = new HashSet<(long, long)>();
            var toEnroll = new List<(Line Line, Target Target)>();
            // One recipient once, or once per payment (month and phase) in a list of several (a year's recap, two phases
            // paid together): a line that pays nothing, or pays what an earlier line of the recipient paid, is a repeat.
            var seen = new Dictionary<(long, long), (long FirstRow, HashSet<(string, int)> Payments)>();
            foreach (var line in lines)
            {
                if (outside.Contains(line))
                {
                    // Neither the registry's name nor its village: only that the recipient is someone else's to enroll.
                    report.OutsideScope++;
                    List(report, line, "outsideScope", null, null, null,
                        "Terdaftar di data terpadu di luar wilayah Anda: tidak didaftarkan; koordinator kabupaten atau wilayahnya yang mendaftarkan.",
                        "Registered outside your area: not enrolled; the regency's coordinator, or that area's, enrolls this recipient.");
                    continue;
                }
                if (!targets.TryGetValue(line, out var target))
                {
                    report.NotFound++;
                    if (DidYouMean(line, suggestions) is { } near)
                    {
                        // One digit off a registered NIK: a typing slip far more often than a stranger (docs/programs.md).
                        List(report, line, "notFound", null, null, "NIK", "Tidak ada di data terpadu. " + near.Id, "Not in the registry. " + near.En);
                        continue;
                    }
                    List(report, line, "notFound", null, null, null, "Tidak ada di data terpadu (penerima di luar data terpadu).", "Not in the registry (recipient outside the integrated data).");
                    continue;
                }
                // One recipient per program: the person for person programs, the family for family programs — so two
                // members of one family on a family program's list is a double receipt, reported as a duplicate.
                var recipient = Recipient(program, target);
                var payment = line.Amount is null ? ("", 0) : (line.Period ?? "", line.Tahap ?? 0);
                if (RepeatOf(seen, recipient, payment) is { } firstRow)
                {
                    report.Duplicates++;
                    List(report, line, "duplicate", target, null, null,
                        $"Penerima yang sama dengan baris {firstRow} (satu {program.TargetUnit} sekali per program dan penyaluran).",
                        $"Same recipient as row {firstRow} (one {(program.TargetUnit == ProgramTerms.Person ? "person" : "family")} once per program and payment).");
                    continue;
                }
                if (target.NotLiving != 0)
                {
                    // A recipient who died or moved away is the classic inclusion error of a ministry list (GERTAK): not
                    // enrolled, listed so that the list is corrected and the aid not paid to no one.
                    report.NotLiving++;
                    var status = LifeStatus.Code(target.NotLiving);
                    List(report, line, "notLiving", target, null, null,
                        $"Tercatat {status} di data terpadu: tidak didaftarkan; periksa dan perbaiki daftar penerima (salah sasaran).",
                        $"Recorded as {LifeStatus.English(target.NotLiving)} ({status}) in the registry: not enrolled; check and correct the recipient list (an inclusion error).");
                    continue;
                }
                if (!target.ByNoKk && RecipientNames.SaysDeceased(line.Nama))
                {
                    // The list itself calls the recipient almarhum/almarhumah while the registry holds them as living:
                    // the same inclusion error seen from the other side. Not enrolled; the registry's life status is
                    // for the village to verify (docs/programs.md, "Recipient lists"). A family found by its NO_KK is
                    // not: a family program's list names the late head ("Alm. Parjo") of a family whose widow receives.
                    report.NotLiving++;
                    List(report, line, "notLiving", target, null, null,
                        "Daftar menyebut penerima sudah meninggal (Alm./Almh.), data terpadu mencatatnya hidup: tidak didaftarkan; periksa dan perbarui status hidupnya.",
                        "The list calls the recipient deceased (Alm./Almh.) while the registry holds them as living: not enrolled; check and update their life status.");
                    continue;
                }
                // Only a recipient who is enrolled counts for the repeats: a dead member's row does not take the family's place.
                if (!seen.TryGetValue(recipient, out var enrolled))
                {
                    seen[recipient] = (line.Row, [payment]);
                }
                else
                {
                    enrolled.Payments.Add(payment);
                }
                var similarity = Similarity(line.Nama, target.Name);
                // A key mismatch is counted once, as what most needs checking (the counts add up to the rows); a differing
                // name is said in its message.
                if (!ListKeyMismatch(report, line, target, suggestions, similarity)
                    && !(!open.Contains(recipient) && left.TryGetValue(recipient, out var exit) && ListReEnrolled(report, line, target, similarity, exit)))
                {
                    if (similarity < SameName)
                    {
                        report.NameMismatch++;
                        List(report, line, "nameMismatch", target, similarity, null,
                            "Nama berbeda dengan data terpadu; periksa apakah NIK/NO_KK benar.", "The name differs from the registry; check that the NIK/NO_KK is right.");
                    }
                    else
                    {
                        report.Matched++;
                    }
                }
                // Recipients, not rows: a recap names one recipient once per payment.
                if (open.Contains(recipient) && countedEnrolled.Add(recipient))
                {
                    report.AlreadyEnrolled++;
                }
                toEnroll.Add((line, target));
            }
            await ListDifferingPaymentsAsync(db, program, toEnroll, report, cancellationToken);
            if (report.Errors > 0 || input.DryRun)
            {
                return report;
            }
            await WriteAsync(db, program, toEnroll, open, left, input, report, cancellationToken);
            report.Committed = true;
        }
        catch (TabularFormatException e)
        {
            // Not UTF-8 text, a line or cell over the limits, a corrupt or oversized XLSX: one error saying which.
            report.Errors++;
            report.ErrorCounts[e.Code] = report.ErrorCounts.GetValueOrDefault(e.Code) + 1;
            report.Rows.Add(new RecipientRow(e.Row, "error", null, null, "", null, null, null, e.Column, e.MessageId, e.Message, e.Code));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            report.Failure = "Berkas tidak dapat dibaca / the file cannot be read: " + e.Message;
        }
        catch (DbUpdateException e)
        {
            // The open-enrollment index refused a double enrollment written concurrently: nothing of this file was kept.
            report.Failure = "Basis data menolak (impor lain berjalan bersamaan?) / the database refused (another import at the same time?): " + (e.InnerException?.Message ?? e.Message);
        }
        return report;
    }

    /// <param name="givenPeriod">The importer's month for rows that pay without a PERIODE (<see cref="Input.Period"/>).</param>
    private List<Line> Read(string path, RecipientMatchReport report, string targetUnit, string? givenPeriod)
    {
        report.Period = givenPeriod;
        var lines = new List<Line>();
        // OpenSID's program workbook holds the program on its first sheet ("Program Bantuan") and the list on "Peserta":
        // the first sheet was read, and the list refused for a header it does not have.
        using var reader = TabularReader.Open(path, preferredSheets: RecipientHeader.PreferredSheets);
        if (!reader.Read())
        {
            // An error of the file, as for a registry file (exit 2, nothing written), not a failure of the import.
            throw TabularFormatException.From(ImportMessages.Issue(1, null, null,
                reader.Header.Any(h => h.Trim().TrimStart('\uFEFF').Length > 0) ? "FILE_NO_DATA" : "FILE_EMPTY"));
        }
        // Ministry lists open with a title block (and merged cells) above the header: the header is the first of the
        // top rows that names the recipient (NAMA) and a key (NIK or NO_KK), under Tuntas' or the ministry's names.
        var cells = reader.Header.ToList();
        long headerRow = 1;
        var header = RecipientHeader.Resolve(cells);
        var hasRow = true;
        while (!header.Recognised && header.Duplicate is null && hasRow && reader.RowNumber <= RecipientHeader.MaxTitleRows)
        {
            headerRow = reader.RowNumber;
            cells = [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader[i])];
            header = RecipientHeader.Resolve(cells);
            hasRow = reader.Read();
        }
        if (header.Duplicate is { } duplicate)
        {
            report.Errors++;
            report.Rows.Add(new RecipientRow(headerRow, "error", null, null, "", null, null, null, duplicate,
                $"Kolom {duplicate} muncul lebih dari sekali di baris judul (baris {headerRow}).", $"Column {duplicate} appears more than once in the header (row {headerRow})."));
            return lines;
        }
        if (!header.Recognised)
        {
            report.Errors++;
            // A workbook's sheet is named, and its other sheets: the list may be on another one.
            var (sheetId, sheetEn) = reader is XlsxTabularReader { SheetNames.Count: > 1 } xlsx
                ? ($" (lembar '{xlsx.SheetName}'; lembar dalam berkas: {string.Join(", ", xlsx.SheetNames)})", $" (sheet '{xlsx.SheetName}'; sheets in the file: {string.Join(", ", xlsx.SheetNames)})")
                : ("", "");
            report.Rows.Add(new RecipientRow(1, "error", null, null, "", null, null, null, null,
                $"Baris judul harus memuat NAMA dan NIK atau NO_KK (atau NAMA_PENERIMA, NIK_KTP, NOKK_DTKS){sheetId}.",
                $"The header must have NAMA and NIK or NO_KK (or NAMA_PENERIMA, NIK_KTP, NOKK_DTKS){sheetEn}."));
            return lines;
        }
        if (!hasRow)
        {
            throw TabularFormatException.From(ImportMessages.Issue(headerRow, null, null, "FILE_NO_DATA"));
        }
        int? Column(string name) => header.Columns.TryGetValue(name, out var i) ? i : null;
        var (nikColumn, noKkColumn, nameColumn) = (Column("NIK"), Column("NO_KK"), Column("NAMA"));
        var (amountColumn, periodColumn, paidColumn, channelColumn, startColumn) =
            (Column("NOMINAL"), Column("PERIODE"), Column("TANGGAL_SALUR"), Column("SALURAN"), Column("TANGGAL_MULAI"));
        var (cardColumn, bdtColumn, semestaColumn, tahapColumn) = (Column("NOMOR_KARTU"), Column("IDARTBDT"), Column("IDSEMESTA"), Column("TAHAP"));
        var today = Regions.RegencyOptions.Of(regency).Today(clock);
        do
        {
            var row = reader.RowNumber;
            string Cell(int? i) => i is { } c && c < reader.FieldCount ? reader[c].Trim() : "";
            // A list put together from pages or kecamatan repeats its header further down. It is no recipient: read as one
            // it was an error in every column ("NIK must be 16 digits", "PERIODE must be YYYY-MM, not PERIODE") and the
            // whole list was refused.
            if (header.Columns.Values.All(i => string.Equals(Cell(i), i < cells.Count ? cells[i].Trim() : "", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            report.RowCount++;
            var problems = new List<(string Column, string Id, string En)>();
            // A list saved by Excel as "CSV (comma delimited)" is Windows-1252: a name's é or ' came through as a broken
            // byte and was matched silently on what was left. Said per cell the list is read by, as a registry file's is.
            foreach (var invalid in reader.InvalidEncodingFields)
            {
                if (header.Columns.FirstOrDefault(c => c.Value == invalid).Key is { } read)
                {
                    var issue = ImportMessages.Issue(row, read, null, "ENCODING");
                    problems.Add((read, issue.Message, issue.MessageEn));
                }
            }
            string? nik = null, noKk = null;
            if (Cell(nikColumn) is { Length: > 0 } nikText)
            {
                var error = Nik.TryParse(nikText, today, out var parsed);
                if (error is not null and not "NIK_SEMENTARA")
                {
                    var issue = ImportMessages.Issue(row, "NIK", nikText, error);
                    problems.Add(("NIK", issue.Message, issue.MessageEn));
                }
                nik = parsed.Value;
            }
            if (Cell(noKkColumn) is { Length: > 0 } noKkText)
            {
                var error = NoKk.TryParse(noKkText, out var value, out _);
                if (error is not null)
                {
                    var issue = ImportMessages.Issue(row, "NO_KK", noKkText, error);
                    problems.Add(("NO_KK", issue.Message, issue.MessageEn));
                }
                noKk = value;
            }
            if (nik is null && noKk is null && problems.Count == 0)
            {
                problems.Add(("NIK", "NIK atau NO_KK wajib diisi.", "NIK or NO_KK is required."));
            }
            else if (nik is null && targetUnit == ProgramTerms.Person && problems.Count == 0)
            {
                // A KK number names a family, not which of its members receives: said as such, not as "outside the registry".
                problems.Add(("NIK", "Program perorangan: NIK penerima wajib diisi (NO_KK saja tidak menunjuk orangnya).",
                    "A person program: the recipient's NIK is required (a NO_KK alone does not say who)."));
            }
            var name = Cell(nameColumn);
            if (name.Length == 0)
            {
                problems.Add(("NAMA", "NAMA wajib diisi.", "NAMA is required."));
            }
            var (amount, amountProblem, amountProblemEn) = Rupiah.Parse(Cell(amountColumn));
            if (amountProblem is not null)
            {
                problems.Add(("NOMINAL", amountProblem, amountProblemEn!));
            }
            var period = Cell(periodColumn);
            if (period.Length > 0 && RecipientListFields.Period(period) is { } month)
            {
                period = month;
            }
            else if (period.Length > 0)
            {
                problems.Add(("PERIODE", $"PERIODE harus YYYY-MM (mis. 2026-03), bukan {Shorten(period)}.", $"PERIODE must be YYYY-MM (e.g. 2026-03), not {Shorten(period)}."));
            }
            else if (amount is not null && givenPeriod is not null)
            {
                period = givenPeriod;
                report.PeriodGiven++;
            }
            else if (amount is not null)
            {
                problems.Add(("PERIODE", "NOMINAL diisi tanpa PERIODE: penyaluran untuk bulan apa? Isi kolom PERIODE, atau sebutkan periode daftar ini saat mengunggah.",
                    "NOMINAL without PERIODE: which month was paid? Fill the PERIODE column, or give this list's period when uploading it."));
            }
            var paidOn = Date(Cell(paidColumn), "TANGGAL_SALUR", problems);
            var startedOn = Date(Cell(startColumn), "TANGGAL_MULAI", problems);
            var card = RecipientListFields.Identifier(Cell(cardColumn), "NOMOR_KARTU", RecipientListFields.MaxCardLength, problems);
            var idArtBdt = RecipientListFields.Identifier(Cell(bdtColumn), "IDARTBDT", RecipientListFields.MaxIdLength, problems);
            var idSemesta = RecipientListFields.Identifier(Cell(semestaColumn), "IDSEMESTA", RecipientListFields.MaxIdLength, problems);
            var tahap = RecipientListFields.Tahap(Cell(tahapColumn), problems);
            if (problems.Count > 0)
            {
                // Rows in error, so that the counts add up to the rows; each column's problems are counted in ErrorCounts.
                report.Errors++;
                foreach (var (column, id, en) in problems)
                {
                    var ofColumn = report.ErrorCounts[column] = report.ErrorCounts.GetValueOrDefault(column) + 1;
                    if (report.Rows.Count < MaxListedRows && ofColumn <= MaxListedErrorsPerColumn)
                    {
                        report.Rows.Add(new RecipientRow(row, "error", nik is null ? null : Nik.Mask(nik), noKk is null ? null : NoKk.Mask(noKk), Shorten(name), null, null, null, column,
                            Shorten(id, ImportReport.MaxTextLength * 3), Shorten(en, ImportReport.MaxTextLength * 3)));
                    }
                }
                continue;
            }
            lines.Add(new Line(row, nik, noKk, name, amount, period.Length > 0 ? period : null, paidOn, Cell(channelColumn) is { Length: > 0 } c ? c : null, startedOn,
                card, idArtBdt, idSemesta, tahap));
        }
        while (reader.Read());
        if (report.RowCount == 0)
        {
            throw TabularFormatException.From(ImportMessages.Issue(headerRow, null, null, "FILE_NO_DATA"));
        }
        return lines;
    }

    private static DateOnly? Date(string text, string column, List<(string, string, string)> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }
        foreach (var format in new[] { "yyyy-MM-dd", "dd-MM-yyyy", "dd/MM/yyyy" })
        {
            if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
        }
        problems.Add((column, $"{column} harus YYYY-MM-DD, DD-MM-YYYY atau DD/MM/YYYY.", $"{column} must be YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY."));
        return null;
    }

    /// <summary>
    /// Finds each line's recipient: by NIK (the person and their family) or else by NO_KK (the family, named after its
    /// head). Person programs need a NIK that is in the registry; a NO_KK alone names no person.
    /// </summary>
    private static async Task<Dictionary<Line, Target>> MatchAsync(TuntasDb db, AssistanceProgram program, List<Line> lines, CancellationToken cancellationToken)
    {
        var byNik = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (var chunk in lines.Where(l => l.Nik is not null).Select(l => l.Nik!).Distinct().Chunk(500))
        {
            var found = await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Nik))
                .Join(db.Families, p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Id, p.FamilyId, p.Nama, f.KodeDesa, f.NoKk, p.StatusHidup })
                .ToListAsync(cancellationToken);
            foreach (var p in found)
            {
                byNik[p.Nik] = new Target(p.FamilyId, p.Id, p.Nama, p.KodeDesa, p.NoKk, p.StatusHidup == LifeStatus.Hidup ? 0 : p.StatusHidup);
            }
        }
        var byNoKk = new Dictionary<string, Target>(StringComparer.Ordinal);
        foreach (var chunk in lines.Where(l => l.NoKk is not null && (l.Nik is null || !byNik.ContainsKey(l.Nik))).Select(l => l.NoKk!).Distinct().Chunk(500))
        {
            var found = await db.Families.AsNoTracking().Where(f => chunk.Contains(f.NoKk))
                .Select(f => new
                {
                    f.NoKk,
                    f.Id,
                    f.KodeDesa,
                    Head = db.Persons.Where(p => p.FamilyId == f.Id).OrderBy(p => p.StatusHidup == LifeStatus.Hidup ? 0 : 1).ThenBy(p => p.HubunganKk).ThenBy(p => p.Id)
                        .Select(p => new { p.Id, p.Nama, p.StatusHidup }).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            foreach (var f in found)
            {
                // A family listed by NO_KK alone is not living when none of its members is (its first member says how).
                byNoKk[f.NoKk] = new Target(f.Id, f.Head?.Id, f.Head?.Nama ?? "", f.KodeDesa, f.NoKk, f.Head is { StatusHidup: not LifeStatus.Hidup } head ? head.StatusHidup : 0, ByNoKk: true);
            }
        }
        var targets = new Dictionary<Line, Target>();
        foreach (var line in lines)
        {
            if (line.Nik is not null && byNik.TryGetValue(line.Nik, out var person))
            {
                targets[line] = person;
            }
            else if (program.TargetUnit == ProgramTerms.Family && line.NoKk is not null && byNoKk.TryGetValue(line.NoKk, out var family))
            {
                // Keyed by NO_KK: the listed name is compared with the family head's.
                targets[line] = family;
            }
        }
        return targets;
    }

    /// <summary>Takes out of <paramref name="targets"/> the lines whose recipient is registered outside <paramref name="scope"/>
    /// and returns them: nothing of that recipient goes further (no member named, no enrollment, no hint).</summary>
    private static HashSet<Line> OutsideScope(Dictionary<Line, Target> targets, AccessScope scope)
    {
        var outside = targets.Where(t => !scope.Covers(t.Value.FamilyId, t.Value.KodeDesa)).Select(t => t.Key).ToHashSet();
        foreach (var line in outside)
        {
            targets.Remove(line);
        }
        return outside;
    }

    /// <summary>Recipients whose last enrollment in the program ended, with when and why (the latest exit).</summary>
    private static async Task<Dictionary<(long, long), (DateOnly? EndedOn, string? Reason)>> ExitedAsync(TuntasDb db, long programId, CancellationToken cancellationToken) =>
        (await db.Enrollments.AsNoTracking().Where(e => e.ProgramId == programId && e.Status == ProgramTerms.Exited)
            .Select(e => new { e.FamilyId, e.PersonId, e.EndedOn, e.ExitReason }).ToListAsync(cancellationToken))
        .GroupBy(e => (e.FamilyId, e.PersonId ?? 0))
        .ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.EndedOn).Select(e => (e.EndedOn, e.ExitReason)).First());

    private static async Task<HashSet<(long, long)>> OpenEnrollmentsAsync(TuntasDb db, long programId, CancellationToken cancellationToken) =>
        (await db.Enrollments.AsNoTracking().Where(e => e.ProgramId == programId && e.Status != ProgramTerms.Exited)
            .Select(e => new { e.FamilyId, e.PersonId }).ToListAsync(cancellationToken))
        .Select(e => (e.FamilyId, e.PersonId ?? 0)).ToHashSet();

    public static double Similarity(string listed, string registered)
    {
        var (a, b) = (NameKey.For(listed), NameKey.For(registered));
        if (a == b)
        {
            return 1;
        }
        // Lists write "Ny. Suminah", "Bpk. H. Parjo", "Slamet bin Karto"; the KK has "SUMINAH", "PARJO", "SLAMET".
        var (plainA, plainB) = (NameKey.For(RecipientNames.Plain(listed)), NameKey.For(RecipientNames.Plain(registered)));
        return plainA == plainB && plainA.Length > 0 ? 1 : Math.Max(JaroWinkler.Similarity(a, b), JaroWinkler.Similarity(plainA, plainB));
    }

    /// <summary>A registered NIK one typing slip from a listed one: the digit(s) that differ, at 1-based <c>Position</c>.</summary>
    private sealed record Suggestion(string Nik, string Name, (int Position, string Given, string Expected, bool Swapped) Difference);

    /// <summary>
    /// A registered NIK one substituted digit or one swap of neighbours away from each listed NIK not found, among the
    /// persons of <paramref name="scope"/> who bear the listed name (the same name as <see cref="SameName"/> judges it),
    /// the closest name first: a hint names a person, with their name, to the importer. Before, any person one digit
    /// away was named — an unrelated neighbour in the serial, while the listed person stood one other digit away — and a
    /// list of generated NIKs read back the registered NIK and name of every person one digit from one of them.
    /// </summary>
    private static async Task<Dictionary<string, Suggestion>> SuggestNiksAsync(
        TuntasDb db, AccessScope scope, IEnumerable<Line> missing, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in missing)
        {
            if (names.Count < 2_000)
            {
                names.TryAdd(line.Nik!, line.Nama);
            }
        }
        var candidates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var nik in names.Keys)
        {
            foreach (var near in RecipientNames.OneTypoAway(nik))
            {
                candidates.TryAdd(near, nik);
            }
        }
        var closeness = new Dictionary<string, double>(StringComparer.Ordinal);
        var suggestions = new Dictionary<string, Suggestion>(StringComparer.Ordinal);
        foreach (var chunk in candidates.Keys.Chunk(1_000))
        {
            var found = await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.Nik))
                .Join(scope.Apply(db.Families), p => p.FamilyId, f => f.Id, (p, f) => new { p.Nik, p.Nama }).ToListAsync(cancellationToken);
            foreach (var person in found)
            {
                var listed = candidates[person.Nik];
                var similarity = Similarity(names[listed], person.Nama);
                if (similarity < SameName || (closeness.TryGetValue(listed, out var closest) && closest >= similarity))
                {
                    continue;
                }
                closeness[listed] = similarity;
                var position = Enumerable.Range(0, 16).First(i => listed[i] != person.Nik[i]);
                // A swap of neighbours differs in two places: both are named, not only the first.
                var swapped = position < 15 && listed[position + 1] != person.Nik[position + 1];
                var width = swapped ? 2 : 1;
                suggestions[listed] = new Suggestion(person.Nik, person.Nama, (position + 1, listed.Substring(position, width), person.Nik.Substring(position, width), swapped));
            }
        }
        return suggestions;
    }

    /// <summary>The row of an earlier line this one repeats: the same recipient, when this line pays nothing or pays a month
    /// and phase an earlier line pays. Null when it is not a repeat: a recap that first lists the recipient without an
    /// amount (the enrollment) and then each month paid records every payment.</summary>
    private static long? RepeatOf(Dictionary<(long, long), (long FirstRow, HashSet<(string, int)> Payments)> seen, (long, long) recipient, (string, int) payment) =>
        seen.TryGetValue(recipient, out var earlier) && (payment == ("", 0) || earlier.Payments.Contains(payment))
            ? earlier.FirstRow
            : null;

    /// <summary>
    /// A line whose NIK and NO_KK do not name the same registered family. Enrolled all the same — the NIK is the legal
    /// identifier, and a family program's NO_KK names the family — but listed, as a name that differs is: a ministry list
    /// still carries a member under the KK they left, or a NIK mistyped beside a right NO_KK (then with "did you mean").
    /// </summary>
    private static bool ListKeyMismatch(RecipientMatchReport report, Line line, Target target, Dictionary<string, Suggestion> suggestions, double similarity)
    {
        if (line.Nik is null || line.NoKk is null || (!target.ByNoKk && target.NoKk == line.NoKk))
        {
            return false;
        }
        report.KeyMismatch++;
        var (nameId, nameEn) = similarity < SameName
            ? ($" Nama juga berbeda dengan data terpadu ({target.Name}).", $" The name differs from the registry's too ({target.Name}).")
            : ("", "");
        if (target is { ByNoKk: true, MemberNik: { } memberNik })
        {
            List(report, line, "keyMismatch", target, similarity, "NIK",
                $"NIK tidak ada di data terpadu; keluarga dicocokkan lewat NO_KK. Di KK ini {target.Name} terdaftar dengan NIK {Nik.Mask(memberNik)}: periksa NIK di daftar.",
                $"The NIK is not in the registry; the family was matched by its NO_KK. In this KK, {target.Name} is registered with NIK {Nik.Mask(memberNik)}: check the NIK on the list.");
        }
        else if (target.ByNoKk)
        {
            var near = DidYouMean(line, suggestions);
            List(report, line, "keyMismatch", target, similarity, "NIK",
                "NIK tidak ada di data terpadu; keluarga dicocokkan lewat NO_KK. " + (near?.Id ?? "Periksa NIK di daftar.") + nameId,
                "The NIK is not in the registry; the family was matched by its NO_KK. " + (near?.En ?? "Check the NIK on the list.") + nameEn);
        }
        else
        {
            List(report, line, "keyMismatch", target, similarity, "NO_KK",
                $"NIK terdaftar di keluarga NO_KK {NoKk.Mask(target.NoKk)}, bukan NO_KK di daftar: didaftarkan untuk keluarga NIK itu (pindah KK?); periksa daftar." + nameId,
                $"The NIK is registered in family NO_KK {NoKk.Mask(target.NoKk)}, not the list's NO_KK: enrolled for that NIK's family (a change of KK?); check the list." + nameEn);
        }
        return true;
    }

    /// <summary>
    /// A line found by its NO_KK beside a NIK the registry does not hold names a member: the one of that family with the
    /// listed name (not the head, to whom a line keyed by NO_KK alone is compared), so the name is not called different
    /// and the hint is that member's NIK, not a stranger's one digit away.
    /// </summary>
    private static async Task NameTheListedMemberAsync(TuntasDb db, Dictionary<Line, Target> targets, CancellationToken cancellationToken)
    {
        var byNoKk = targets.Where(t => t.Value.ByNoKk && t.Key.Nik is not null).ToList();
        var families = byNoKk.Select(t => t.Value.FamilyId).Distinct().ToList();
        var members = new List<(long FamilyId, long Id, string Nik, string Nama)>();
        foreach (var chunk in families.Chunk(500))
        {
            members.AddRange((await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.FamilyId)).Select(p => new { p.FamilyId, p.Id, p.Nik, p.Nama })
                .ToListAsync(cancellationToken)).Select(p => (p.FamilyId, p.Id, p.Nik, p.Nama)));
        }
        var ofFamily = members.ToLookup(m => m.FamilyId);
        foreach (var (line, target) in byNoKk)
        {
            var best = ofFamily[target.FamilyId].Select(m => (Member: m, Score: Similarity(line.Nama, m.Nama))).OrderByDescending(x => x.Score).FirstOrDefault();
            if (best.Score >= SameName)
            {
                targets[line] = target with { PersonId = best.Member.Id, Name = best.Member.Nama, MemberNik = best.Member.Nik };
            }
        }
    }

    /// <summary>A recipient who left the program (graduated, moved) on a list again: enrolled, as the list is the funder's,
    /// but never silently — a graduation undone is worth a look. Counted here only.</summary>
    private static bool ListReEnrolled(RecipientMatchReport report, Line line, Target target, double similarity, (DateOnly? EndedOn, string? Reason) exit)
    {
        report.ReEnrolled++;
        var when = exit.EndedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";
        List(report, line, "reEnrolled", target, similarity, null,
            $"Sudah keluar dari program ini ({when}, alasan {exit.Reason ?? "-"}); daftar ini mendaftarkannya lagi. Periksa apakah benar.",
            $"Left this program ({when}, reason {exit.Reason ?? "-"}); this list enrolls them again. Check that this is right.");
        return true;
    }

    /// <summary>"Did you mean …?" for a NIK one typing slip from a registered one, naming the digits that differ.</summary>
    private static (string Id, string En)? DidYouMean(Line line, Dictionary<string, Suggestion> suggestions)
    {
        if (line.Nik is null || !suggestions.TryGetValue(line.Nik, out var near))
        {
            return null;
        }
        var (pos, given, expected, swapped) = near.Difference;
        return swapped
            ? ($"Maksud Anda {Nik.Mask(near.Nik)} atas nama {near.Name}? (digit ke-{pos} dan ke-{pos + 1} tertukar: {expected}, bukan {given})",
                $"Did you mean {Nik.Mask(near.Nik)}, registered as {near.Name}? (digits {pos} and {pos + 1} swapped: {expected}, not {given})")
            : ($"Maksud Anda {Nik.Mask(near.Nik)} atas nama {near.Name}? (digit ke-{pos}: {expected}, bukan {given})",
                $"Did you mean {Nik.Mask(near.Nik)}, registered as {near.Name}? (digit {pos}: {expected}, not {given})");
    }

    /// <summary>The list's card number and ids onto an enrollment: a value the line carries replaces a different one; an
    /// empty cell keeps the enrollment's. What changed, for the history ("nomor kartu ••••7890 → ••••0001"), or null.</summary>
    private static string? TakeListFields(Enrollment enrollment, Line line)
    {
        var changes = new List<string>();
        if (line.NomorKartu is { } card && card != enrollment.NomorKartu)
        {
            changes.Add($"nomor kartu {RecipientListFields.Mask(enrollment.NomorKartu) ?? "—"} → {RecipientListFields.Mask(card)}");
            enrollment.NomorKartu = card;
        }
        if (line.IdArtBdt is { } bdt && bdt != enrollment.IdArtBdt)
        {
            changes.Add($"IDARTBDT {RecipientListFields.Mask(enrollment.IdArtBdt) ?? "—"} → {RecipientListFields.Mask(bdt)}");
            enrollment.IdArtBdt = bdt;
        }
        if (line.IdSemesta is { } semesta && semesta != enrollment.IdSemesta)
        {
            changes.Add($"IDSEMESTA {RecipientListFields.Mask(enrollment.IdSemesta) ?? "—"} → {RecipientListFields.Mask(semesta)}");
            enrollment.IdSemesta = semesta;
        }
        return changes.Count == 0 ? null : string.Join("; ", changes);
    }

    /// <summary>
    /// Records each line's payment once per recipient, month and phase — across every enrollment of the recipient in
    /// this program, so a family enrolled again after leaving is not paid twice for a month already recorded. A month
    /// recorded without a phase and then listed with one (an older list, then SIKS-NG's with <c>TAHAP</c>) is the same
    /// payment: it takes the phase. A line without a phase for a month already paid is that payment. Two phases in one
    /// month (a rapel) are two payments.
    /// </summary>
    private static async Task RecordPaymentsAsync(TuntasDb db, AssistanceProgram program, List<(Line Line, Target Target)> rows,
        Dictionary<(long, long), Enrollment> byRecipient, Input input, RecipientMatchReport report, DateTime now, CancellationToken cancellationToken)
    {
        var person = program.TargetUnit == ProgramTerms.Person;
        var paid = new HashSet<((long, long), string, int)>();
        var months = new HashSet<((long, long), string)>();
        // A month paid without a phase: the stored payment's id, or the one this file adds.
        var untagged = new Dictionary<((long, long), string), object>();
        foreach (var d in await StoredPaymentsAsync(db, program, rows, cancellationToken))
        {
            var recipient = (d.FamilyId, person ? d.PersonId ?? 0 : 0);
            paid.Add((recipient, d.Period, d.Tahap ?? 0));
            months.Add((recipient, d.Period));
            if (d.Tahap is null)
            {
                untagged[(recipient, d.Period)] = d.Id;
            }
        }
        foreach (var (line, target) in rows.Where(r => r.Line.Amount is not null))
        {
            var recipient = (target.FamilyId, person ? target.PersonId ?? 0 : 0);
            var (period, tahap) = (line.Period!, line.Tahap ?? 0);
            if (tahap == 0 ? months.Contains((recipient, period)) : paid.Contains((recipient, period, tahap)))
            {
                continue;
            }
            if (tahap != 0 && untagged.Remove((recipient, period), out var same))
            {
                if (same is Disbursement added)
                {
                    added.Tahap = tahap;
                }
                else
                {
                    var id = (long)same;
                    await db.Disbursements.Where(d => d.Id == id).ExecuteUpdateAsync(u => u.SetProperty(d => d.Tahap, tahap), cancellationToken);
                }
                paid.Add((recipient, period, tahap));
                report.DisbursementsPhased++;
                continue;
            }
            var disbursement = new Disbursement
            {
                EnrollmentId = byRecipient[recipient].Id,
                Period = period,
                Tahap = line.Tahap,
                Amount = line.Amount!.Value,
                PaidOn = line.PaidOn,
                Channel = line.Channel,
                ImportJobId = input.JobId,
                CreatedAt = now,
            };
            db.Disbursements.Add(disbursement);
            paid.Add((recipient, period, tahap));
            months.Add((recipient, period));
            if (tahap == 0)
            {
                untagged[(recipient, period)] = disbursement;
            }
            report.DisbursementsAdded++;
        }
    }

    private sealed record StoredPayment(long Id, long FamilyId, long? PersonId, string Period, int? Tahap, long Amount);

    /// <summary>The payments the program has recorded for the families of the lines that pay something, by chunks of
    /// 500 families (one statement each): what the amounts are compared with and the new payments are recorded against.</summary>
    private static async Task<List<StoredPayment>> StoredPaymentsAsync(TuntasDb db, AssistanceProgram program, List<(Line Line, Target Target)> rows,
        CancellationToken cancellationToken)
    {
        var stored = new List<StoredPayment>();
        foreach (var chunk in rows.Where(r => r.Line.Amount is not null).Select(r => r.Target.FamilyId).Distinct().Chunk(500))
        {
            stored.AddRange(await db.Disbursements.AsNoTracking()
                .Join(db.Enrollments.Where(e => e.ProgramId == program.Id && chunk.Contains(e.FamilyId)), d => d.EnrollmentId, e => e.Id,
                    (d, e) => new StoredPayment(d.Id, e.FamilyId, e.PersonId, d.Period, d.Tahap, d.Amount))
                .ToListAsync(cancellationToken));
        }
        return stored;
    }

    /// <summary>
    /// Lines paying a month and phase already recorded for the recipient, at another amount: the list sent again with a
    /// corrected amount, or a line mistyped. The recorded payment stays (a payment is evidence, and two lists disagreeing
    /// is for a person to settle, not for the later file to overwrite); the line is listed with both amounts and counted
    /// (<see cref="RecipientMatchReport.PaymentsDiffering"/>), in the dry run as in the import. Before, such a line
    /// was passed over in silence. A month recorded without a phase is compared with a line of any phase of it (it is
    /// the payment that line gives its phase), and a line without a phase with the month's one payment.
    /// </summary>
    private static async Task ListDifferingPaymentsAsync(TuntasDb db, AssistanceProgram program, List<(Line Line, Target Target)> rows,
        RecipientMatchReport report, CancellationToken cancellationToken)
    {
        var person = program.TargetUnit == ProgramTerms.Person;
        var paying = rows.Where(r => r.Line.Amount is not null).ToList();
        var stored = new Dictionary<((long, long), string), List<(int Tahap, long Amount)>>();
        foreach (var d in await StoredPaymentsAsync(db, program, rows, cancellationToken))
        {
            var key = ((d.FamilyId, person ? d.PersonId ?? 0 : 0), d.Period);
            (stored.TryGetValue(key, out var list) ? list : stored[key] = []).Add((d.Tahap ?? 0, d.Amount));
        }
        // A month recorded without a phase is the payment of the first line that gives it one, as the write takes it
        // (RecordPaymentsAsync): a later phase of that month is a payment of its own, not one that differs.
        var phased = new HashSet<((long, long), string)>();
        foreach (var (line, target) in paying)
        {
            var key = ((target.FamilyId, person ? target.PersonId ?? 0 : 0), line.Period!);
            if (!stored.TryGetValue(key, out var month))
            {
                continue;
            }
            var tahap = line.Tahap ?? 0;
            var same = month.Where(p => p.Tahap == tahap).ToList() is { Count: > 0 } phase ? phase
                : tahap != 0 && phased.Add(key) ? month.Where(p => p.Tahap == 0).ToList()
                : tahap == 0 && month.Count == 1 ? month : [];
            if (same.Count != 1 || same[0].Amount == line.Amount)
            {
                continue;
            }
            report.PaymentsDiffering++;
            var (recorded, listed) = (Rupiah.Format(same[0].Amount), Rupiah.Format(line.Amount!.Value));
            var phaseText = tahap.ToString(CultureInfo.InvariantCulture);
            if (same[0].Tahap == 0 && tahap != 0)
            {
                // The month's payment recorded without a phase: it takes this line's phase (RecordPaymentsAsync), not its amount.
                List(report, line, "paymentDiffers", target, null, "NOMINAL",
                    $"Penyaluran {line.Period} sudah tercatat tanpa tahap, {recorded}; daftar ini menyebut {listed} untuk tahap {phaseText}. Nominal yang tercatat tidak diubah (tahapnya dicatat): periksa mana yang benar.",
                    $"The payment of {line.Period} is recorded without a phase, as {recorded}; this list says {listed} for phase {phaseText}. The recorded amount is not changed (the phase is recorded): check which is right.");
                continue;
            }
            var phaseId = tahap == 0 ? "" : " tahap " + phaseText;
            var phaseEn = tahap == 0 ? "" : " phase " + phaseText;
            List(report, line, "paymentDiffers", target, null, "NOMINAL",
                $"Penyaluran {line.Period}{phaseId} sudah tercatat {recorded}; daftar ini menyebut {listed}. Yang tercatat tidak diubah: periksa mana yang benar.",
                $"The payment of {line.Period}{phaseEn} is recorded as {recorded}; this list says {listed}. The record is not changed: check which is right.");
        }
    }

    private static void List(RecipientMatchReport report, Line line, string status, Target? target, double? similarity, string? column, string message, string messageEn)
    {
        if (report.Rows.Count < MaxListedRows)
        {
            report.Rows.Add(new RecipientRow(line.Row, status, line.Nik is null ? null : Nik.Mask(line.Nik), line.NoKk is null ? null : NoKk.Mask(line.NoKk),
                Shorten(line.Nama), target?.Name, similarity is null ? null : Math.Round(similarity.Value, 3), target?.KodeDesa, column, message, messageEn));
        }
    }

    private static string Shorten(string text, int max = ImportReport.MaxTextLength) => text.Length > max ? text[..max] + "…" : text;

    /// <summary>One recipient per program: the person for person programs, the family for family programs.</summary>
    private static (long FamilyId, long PersonId) Recipient(AssistanceProgram program, Target target) =>
        (target.FamilyId, program.TargetUnit == ProgramTerms.Person ? target.PersonId ?? 0 : 0);

    /// <summary>
    /// When each recipient's enrollment starts, should the list enroll them: its <c>TANGGAL_MULAI</c> (the first row of
    /// the recipient that gives one), else the earliest month paid or payment date of any of its rows, else today. A
    /// recap of phases 1–3 enrolled in December had started in December after three payments of February, May and August:
    /// the history said they were paid before they were enrolled, and an exit dated October was refused as "before the
    /// start". A month paid in advance does not start an enrollment after today, and a recipient who had left the program
    /// starts again after the day they left, not within their closed enrollment (whose months stay paid on it).
    /// </summary>
    private static Dictionary<(long, long), DateOnly> StartsOf(AssistanceProgram program, List<(Line Line, Target Target)> rows,
        Dictionary<(long, long), (DateOnly? EndedOn, string? Reason)> left, DateOnly today)
    {
        var given = new Dictionary<(long, long), DateOnly>();
        var paid = new Dictionary<(long, long), DateOnly>();
        foreach (var (line, target) in rows)
        {
            var key = Recipient(program, target);
            if (line.StartedOn is { } start)
            {
                given.TryAdd(key, start);
            }
            DateOnly? month = line.Period is { } period ? DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            foreach (var date in new[] { line.PaidOn, month })
            {
                if (date is { } d && (!paid.TryGetValue(key, out var earliest) || d < earliest))
                {
                    paid[key] = d;
                }
            }
        }
        var starts = new Dictionary<(long, long), DateOnly>();
        foreach (var (_, target) in rows)
        {
            var key = Recipient(program, target);
            var start = given.TryGetValue(key, out var typed) ? typed : paid.TryGetValue(key, out var first) && first < today ? first : today;
            if (!given.ContainsKey(key) && left.TryGetValue(key, out var exit) && exit.EndedOn is { } ended && start <= ended)
            {
                start = ended < today ? ended.AddDays(1) : today;
            }
            starts[key] = start;
        }
        return starts;
    }

    private async Task WriteAsync(TuntasDb db, AssistanceProgram program, List<(Line Line, Target Target)> rows, HashSet<(long, long)> open,
        Dictionary<(long, long), (DateOnly? EndedOn, string? Reason)> left, Input input, RecipientMatchReport report, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = Regions.RegencyOptions.Of(regency).Today(clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Enrollments.Where(e => e.ProgramId == program.Id && e.Status != ProgramTerms.Exited).ToListAsync(cancellationToken);
        var byRecipient = existing.ToDictionary(e => (e.FamilyId, e.PersonId ?? 0));
        var fresh = new List<(Enrollment Enrollment, Line Line)>();
        var freshEnrollments = new HashSet<Enrollment>(ReferenceEqualityComparer.Instance);
        var starts = StartsOf(program, rows, left, today);
        foreach (var (line, target) in rows)
        {
            var key = Recipient(program, target);
            if (!byRecipient.TryGetValue(key, out var enrollment))
            {
                enrollment = new Enrollment
                {
                    ProgramId = program.Id,
                    FamilyId = target.FamilyId,
                    PersonId = program.TargetUnit == ProgramTerms.Person ? target.PersonId : null,
                    Status = ProgramTerms.Enrolled,
                    StartedOn = starts[key],
                    NomorKartu = line.NomorKartu,
                    IdArtBdt = line.IdArtBdt,
                    IdSemesta = line.IdSemesta,
                    ImportJobId = input.JobId,
                    CreatedBy = input.By,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.Enrollments.Add(enrollment);
                byRecipient[key] = enrollment;
                fresh.Add((enrollment, line));
                freshEnrollments.Add(enrollment);
            }
            else if (freshEnrollments.Contains(enrollment))
            {
                // Enrolled by an earlier row of this file (a recap, a row per month paid): a card or id a later row adds
                // is simply the enrollment's, with no history line of its own (it has no id before the save, and its
                // history begins with the enrolled line below).
                TakeListFields(enrollment, line);
            }
            else if (TakeListFields(enrollment, line) is { } changed)
            {
                // A new card, or ids the earlier list did not carry: the latest list's (an empty cell keeps what is there),
                // and a line in the enrollment's history with the card it replaces (masked), the file and the row.
                enrollment.UpdatedAt = now;
                report.EnrollmentsUpdated++;
                db.EnrollmentEvents.Add(new EnrollmentEvent
                {
                    EnrollmentId = enrollment.Id,
                    Status = enrollment.Status,
                    EffectiveOn = today,
                    Note = changed + " (impor " + input.SourceName + " baris " + line.Row.ToString(CultureInfo.InvariantCulture) + ")",
                    RecordedBy = input.By,
                    RecordedAt = now,
                });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (enrollment, line) in fresh)
        {
            db.EnrollmentEvents.Add(new EnrollmentEvent
            {
                EnrollmentId = enrollment.Id,
                Status = ProgramTerms.Enrolled,
                EffectiveOn = enrollment.StartedOn,
                Note = "impor " + input.SourceName + " baris " + line.Row.ToString(CultureInfo.InvariantCulture),
                RecordedBy = input.By,
                RecordedAt = now,
            });
        }
        report.Enrolled = fresh.Count;
        await RecordPaymentsAsync(db, program, rows, byRecipient, input, report, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
