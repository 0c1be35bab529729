using Tuntas.Registry;
using Tuntas.Verivali;
using Tuntas.Web.Verivali;

namespace Tuntas.Web.Pages.Verivali;

/// <summary>
/// The worklist of a period as the user may see it (a relawan: the lines assigned to them): assign (operator), record a
/// visit (facilitator, relawan) with proposed changes as rows — for the family or one member, a field of the catalogue
/// (<see cref="VisitValues"/>), the new value (a code list where the field has one, pre-filled with the current value by
/// <c>wwwroot/js/visit-changes.js</c>) and a life event's date — validated with the import's codes, and review (operator).
/// </summary>
/// A visit may carry photos; the operator or a facilitator enters a family proposed by villagers (usulan baru) and puts
/// the suspected duplicates of the record-linkage queue on the list.
[Tuntas.Web.Security.PersonalDataRead("verivali", "id")]
[RequestSizeLimit(RecordVisit.MaxPhotos * Tuntas.Attachments.AttachmentRules.MaxBytes + (1024 * 1024))]
public sealed class KunjunganModel(TuntasDb db, AssignLines assignLines, RecordVisit recordVisit, ReviewVisit reviewVisit, ProposeNewFamily proposeNewFamily,
    AddSuspectedDuplicates addSuspectedDuplicates) : PageModel
{
    public sealed record LineRow(VerivaliLine Line, string? Head, IReadOnlyList<LinePhotos.Photo> Photos);

    /// <summary>Rows of member inputs the proposal form offers (blank rows are ignored).</summary>
    public const int ProposalMemberRows = 6;

    /// <summary>What the line shows of a proposed family's members; the NIK masked, as everywhere (UU PDP).</summary>
    public static readonly IReadOnlyList<string> ProposedMemberColumns = ["NIK", "NAMA", "HUBUNGAN_KK", "JENIS_KELAMIN", "TANGGAL_LAHIR", "PENDIDIKAN", "DISABILITAS"];

    public static string ProposedValue(string column, string? value) => value is null ? "—"
        : column == "NIK" ? Nik.Mask(value)
        : RegistryFields.PersonRule(column)?.Codes is { } codes && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var code)
            && codes.TryGetValue(code, out var text) ? $"{value} {text}" : value;

    public IReadOnlyList<Problem> Problems { get; private set; } = [];

    /// <summary>A refused proposal's typed value, shown again so nothing is typed twice.</summary>
    public string Posted(string name) => Problems.Count > 0 && Request.HasFormContentType ? Request.Form[name].ToString() : "";

    public IReadOnlyList<LineRow> Lines { get; private set; } = [];

    public long PeriodId { get; private set; }

    public string? Message { get; private set; }

    public IReadOnlyList<RegistryProblem> FieldProblems { get; private set; } = [];

    public bool MayRunVillage => User.Has(VerivaliPermissions.RunVillage);

    public bool MayVisit => User.Has(VerivaliPermissions.Visit);

    /// <summary>Change rows a form offers without JavaScript (blank ones are ignored; the script adds and removes rows).</summary>
    public const int ChangeRows = 3;

    /// <summary>Lines per page: each carries its visit form (about 20 KB with its change rows), and a village of 174 lines
    /// on one page was 3.5 MB for an operator on a village connection.</summary>
    public const int LinesPerPage = 20;

    /// <summary>The page of the worklist (from 1), kept by the forms so that a post shows the same page again.</summary>
    [BindProperty(SupportsGet = true, Name = "halaman")]
    public int Halaman { get; set; } = 1;

    /// <summary>The worklist's pages for this user (at least 1).</summary>
    public int Pages { get; private set; } = 1;

    /// <summary>One proposed change as the form posts it: for whom (empty = the family, else a member's id), the field, the value, a life event's date.</summary>
    public sealed record ChangeRow(string Whom, string Field, string Value, string Date);

    /// <summary>The current values of the families of the lines this user may visit, for the change rows.</summary>
    public IReadOnlyDictionary<long, VisitValues.Family> Current { get; private set; } = new Dictionary<long, VisitValues.Family>();

    /// <summary>The line whose visit was refused and the rows it posted, shown again so nothing is chosen twice.</summary>
    public long? RefusedLine { get; private set; }

    public IReadOnlyList<ChangeRow> RefusedRows { get; private set; } = [];

    public bool ShowSensitive => User.Has(RegistryPermissions.SeeSensitive);

    public async Task OnGetAsync(long periode, CancellationToken cancellationToken) => await LoadAsync(periode, cancellationToken);

    public async Task<IActionResult> OnPostTugaskanAsync(long periode, long[] baris, string petugas, CancellationToken cancellationToken)
    {
        if (!MayRunVillage)
        {
            return Forbid();
        }
        var (assigned, problem) = await assignLines.RunAsync(new AssignLines.Input(baris, petugas ?? "", User.AccessScope(), User.Role(), User.UserName()), cancellationToken);
        Message = problem is null ? string.Create(CultureInfo.InvariantCulture, $"{assigned} → {petugas}") : Text(problem);
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostKunjungiAsync(long periode, long baris, string hasil, string? catatan, List<IFormFile> foto,
        CancellationToken cancellationToken)
    {
        if (!MayVisit)
        {
            return Forbid();
        }
        var photos = await Tuntas.Web.Complaints.ComplaintForm.ReadAttachmentsAsync(foto, cancellationToken);
        var rows = PostedRows(Request.Form);
        var outcome = await recordVisit.RunAsync(new RecordVisit.Input(baris, hasil ?? "", Changes(rows), catatan, User.AccessScope(), User.Role(), User.UserName(),
            photos), cancellationToken);
        FieldProblems = outcome.FieldProblems;
        if (outcome.Problem is not null || outcome.FieldProblems.Count > 0)
        {
            RefusedLine = baris;
            RefusedRows = [.. rows.Where(r => r.Field.Length > 0)];
        }
        Message = outcome.Problem is { } problem ? Text(problem) : outcome.FieldProblems.Count > 0 ? null : "#" + baris.ToString(CultureInfo.InvariantCulture) + " ✓";
        // The trail says what happened: a refused visit is recorded as refused, with its code, not as done.
        AuditDetail.Set(HttpContext, outcome.Problem is not null || outcome.FieldProblems.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"kunjungan verivali baris #{baris} ditolak ({outcome.Problem?.Code ?? outcome.FieldProblems[0].Code})")
            : string.Create(CultureInfo.InvariantCulture, $"kunjungan verivali baris #{baris}: {hasil}, {photos.Count} foto"));
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTinjauAsync(long periode, long baris, bool terima, CancellationToken cancellationToken)
    {
        if (!MayRunVillage)
        {
            return Forbid();
        }
        var (_, problem) = await reviewVisit.RunAsync(new ReviewVisit.Input(baris, terima, User.AccessScope(), User.Role(), User.UserName()), cancellationToken);
        Message = problem is null ? "#" + baris.ToString(CultureInfo.InvariantCulture) + " ✓" : Text(problem);
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    /// <summary>The proposal form: family inputs named <c>kk.COLUMN</c>, member inputs <c>a{row}.COLUMN</c>.</summary>
    public async Task<IActionResult> OnPostUsulAsync(long periode, string? catatan, CancellationToken cancellationToken)
    {
        if (!MayVisit || User.Role() == Tuntas.Users.Roles.Relawan)
        {
            return Forbid();
        }
        var family = ProposeNewFamily.FamilyRules.ToDictionary(r => r.Column, r => (string?)Request.Form["kk." + r.Column].ToString(), StringComparer.Ordinal);
        var members = Enumerable.Range(1, ProposalMemberRows)
            .Select(i => (IReadOnlyDictionary<string, string?>)ProposeNewFamily.PersonRules.ToDictionary(r => r.Column,
                r => (string?)Request.Form[string.Create(CultureInfo.InvariantCulture, $"a{i}.{r.Column}")].ToString(), StringComparer.Ordinal))
            .Where(m => m.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
            .ToList();
        var outcome = await proposeNewFamily.RunAsync(new ProposeNewFamily.Input(family, members, catatan, User.AccessScope(), User.Role(), User.UserName()), cancellationToken);
        Problems = outcome.Problems;
        if (outcome.Line is { } line)
        {
            Message = "#" + line.Id.ToString(CultureInfo.InvariantCulture) + " ✓";
            AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"usulan keluarga baru baris #{line.Id} desa {line.KodeDesa}"));
        }
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostGandaAsync(long periode, CancellationToken cancellationToken)
    {
        if (!MayRunVillage)
        {
            return Forbid();
        }
        var outcome = await addSuspectedDuplicates.RunAsync(new AddSuspectedDuplicates.Input(periode, User.AccessScope()), cancellationToken);
        Message = outcome.Problem is { } problem ? Text(problem)
            : string.Create(CultureInfo.InvariantCulture, $"{outcome.Pairs} → {outcome.Families} (+{outcome.NewLines})");
        AuditDetail.Set(HttpContext, string.Create(CultureInfo.InvariantCulture, $"dugaan ganda ke daftar kerja periode #{periode}: {outcome.Families} keluarga"));
        await LoadAsync(periode, cancellationToken);
        return Page();
    }

    /// <summary>The change rows of a visit form: the fields <c>ubah.siapa</c>, <c>ubah.kolom</c>, <c>ubah.nilai</c> and
    /// <c>ubah.tanggal</c>, one of each per row, in the rows' order.</summary>
    public static List<ChangeRow> PostedRows(IFormCollection form)
    {
        var (whom, field, value, date) = (form["ubah.siapa"], form["ubah.kolom"], form["ubah.nilai"], form["ubah.tanggal"]);
        return [.. Enumerable.Range(0, field.Count).Select(i => new ChangeRow(At(whom, i), At(field, i), At(value, i), At(date, i)))];

        static string At(Microsoft.Extensions.Primitives.StringValues values, int i) => i < values.Count ? values[i]?.Trim() ?? "" : "";
    }

    /// <summary>The rows with a field as the changes <see cref="RecordVisit"/> validates: a member's by its id, a life
    /// event with its date (other fields carry none).</summary>
    public static List<VisitChange> Changes(IEnumerable<ChangeRow> rows) =>
        [.. rows.Where(r => r.Field.Length > 0).Select(r => new VisitChange(
            long.TryParse(r.Whom, NumberStyles.None, CultureInfo.InvariantCulture, out var personId) ? personId : null,
            r.Field,
            r.Value,
            r.Field == RegistryHistory.LifeStatusField && RegistryFields.TryParseDate(r.Date, out var date) ? date : null))];

    private static string Text(Problem problem) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? problem.MessageEn : problem.Message;

    private async Task LoadAsync(long periode, CancellationToken cancellationToken)
    {
        PeriodId = periode;
        var visible = VerivaliLines.Visible(db, User.AccessScope(), User.Role(), User.UserName()).AsNoTracking().Where(l => l.PeriodId == periode);
        Pages = Math.Max(1, (await visible.CountAsync(cancellationToken) + LinesPerPage - 1) / LinesPerPage);
        Halaman = Math.Clamp(Halaman, 1, Pages);
        var shown = visible.OrderBy(l => l.KodeDesa).ThenBy(l => l.Id).Skip((Halaman - 1) * LinesPerPage).Take(LinesPerPage);
        var lines = await shown
            .Select(l => new { Line = l, Head = db.Persons.Where(p => p.FamilyId == l.FamilyId && p.HubunganKk == 1).Select(p => p.Nama).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var photos = await LinePhotos.OfAsync(db, shown.Select(l => l.Id), cancellationToken);
        Lines = [.. lines.Select(l => new LineRow(l.Line, l.Head ?? ProposedFamily.Read(l.Line.Proposal)?.Head?.GetValueOrDefault("NAMA"), [.. photos[l.Line.Id]]))];
        if (MayVisit)
        {
            // Only the families whose visit this user may still record: the form's rows start from their current values.
            Current = await VisitValues.RunAsync(db, [.. Lines.Where(r => r.Line.Status is VerivaliTerms.Open or VerivaliTerms.Visited && r.Line.FamilyId is not null)
                .Select(r => r.Line.FamilyId!.Value)], ShowSensitive, cancellationToken);
        }
    }
}
