using System.Text.Json;
using Tuntas.Access;
using Tuntas.Attachments;
using Tuntas.P2kp.LoanBook;
using Tuntas.P2kp.Planning;
using Tuntas.P2kp.Works;
using Tuntas.Users;

namespace Tuntas.Cli.Commands;

/// <summary>
/// P2KP planning and works from the command line, through the same Core use cases as /P2kp/Rencana, /P2kp/Kegiatan,
/// /P2kp/Pemetaan and /P2kp/Bantuan (docs/p2kp.md): <c>tuntas upk rencana</c>, <c>kegiatan</c> (list or export),
/// <c>penerima</c>, <c>kemajuan</c>, <c>pemetaan import|list</c>, <c>bantuan list|catat</c>. The CLI runs on the server
/// with regency rights (an administrator's), as the other commands do; every change and every read of names is audited
/// with origin "cli". Machine output on standard output (<c>--json</c>), human text on standard error.
/// </summary>
public static class UpkPlanningCommands
{
    private const string Role = Roles.Administrator;

    public static void AddTo(Command upk, CliContext context)
    {
        upk.Subcommands.Add(Plans(context));
        upk.Subcommands.Add(Activities(context));
        upk.Subcommands.Add(Beneficiaries(context));
        upk.Subcommands.Add(Progress(context));
        upk.Subcommands.Add(Mapping(context));
        upk.Subcommands.Add(Grants(context));
    }

    private static Option<bool> Json() => new("--json") { Description = CliTexts.Both("Option.Json") };

    private static Option<string?> User() => new("--user") { Description = CliTexts.Both("Upk.Option.User") };

    private static readonly Problem _dateFormat = CliTexts.Problem("Upk.DateFormat", "--tanggal", "DATE_FORMAT");

    /// <summary>The <c>--tanggal</c> given (YYYY-MM-DD), the regency's today without one, null when it is no date.</summary>
    private static DateOnly? DateOrToday(CliContext context, string? text) =>
        text is null ? context.Regency.Value.Today(context.Clock)
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static void WriteJson<T>(CliContext context, T value) => context.Out.WriteLine(JsonSerializer.Serialize(value, LoanBookReport.JsonOptions));

    /// <summary>How every read of names ends: its audit entry (a personal-data read, origin "cli"), then the record as JSON
    /// with --json, else as text.</summary>
    private static async Task<int> ShownAsync<T>(CliContext context, Data.TuntasDatabase database, ParseResult parse, Option<bool> json, Option<string?> user,
        string subjectType, string? subjectId, string detail, T record, Action<TextWriter> text)
    {
        await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, subjectType, subjectId, detail, CancellationToken.None);
        if (parse.GetValue(json))
        {
            WriteJson(context, record);
        }
        else
        {
            text(context.Out);
        }
        return 0;
    }

    /// <summary>How every change ends: its audit entry (origin "cli"), the record on standard output with --json, and the
    /// confirmation on standard error.</summary>
    private static async Task<int> RecordedAsync<T>(CliContext context, Data.TuntasDatabase database, ParseResult parse, Option<bool> json, Option<string?> user,
        string subjectType, long subjectId, FormattableString detail, T record, string confirmation)
    {
        await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, subjectType, subjectId.ToString(CultureInfo.InvariantCulture),
            detail.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        if (parse.GetValue(json))
        {
            WriteJson(context, record);
        }
        context.Error.WriteLine(confirmation);
        return 0;
    }

    private static Command Plans(CliContext context)
    {
        var json = Json();
        var command = new Command("rencana", CliTexts.Both("Upk.Command.Rencana")) { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = (await context.ReadyDatabaseAsync(cancellationToken)).CreateDb();
            var plans = await new ReadPlans(db).ListAsync(AccessScope.Regency, cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, plans);
                return 0;
            }
            MarkdownTable.Write(context.Out, "| ID | BKM | Desa | Jenis | Tahun | Judul | Kegiatan | Anggaran | Realisasi |", "|---:|---|---|---|---|---|---:|---:|---:|", plans, p =>
                $"| {p.Id} | {p.Bkm} | {p.KodeDesa} | {p.Kind} | {p.YearFrom}–{p.YearTo} | {p.Title} | {p.Activities} | {p.Budget.Planned:N0} | {p.Budget.Realised:N0} |");
            return 0;
        });
        return command;
    }

    private static Command Activities(CliContext context)
    {
        var plan = new Option<long?>("--rencana") { Description = CliTexts.Both("Upk.Option.Rencana") };
        var output = new Option<string?>("--out") { Description = CliTexts.Both("Upk.Option.Out") };
        var id = new Option<long?>("--id") { Description = CliTexts.Both("Upk.Option.Id") };
        var json = Json();
        var user = User();
        var command = new Command("kegiatan", CliTexts.Both("Upk.Command.Kegiatan")) { plan, output, id, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            if (parse.GetValue(id) is { } activityId)
            {
                if (await new ReadActivity(db).RunAsync(activityId, Role, AccessScope.Regency, cancellationToken) is not { } view)
                {
                    return Refusals.Print(context, [CliTexts.Problem("Upk.ActivityNotFound", "--id", "NOT_FOUND")]);
                }
                return await ShownAsync(context, database, parse, json, user, "kegiatan-p2kp", activityId.ToString(CultureInfo.InvariantCulture),
                    "penerima manfaat dan kemajuan", view, output =>
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{view.Place.Name} ({view.Place.Pillar}), {view.Place.Bkm}: {view.Percent?.ToString(CultureInfo.InvariantCulture) ?? "—"} %, {view.BeneficiaryCount} keluarga"));
                        foreach (var r in view.Progress)
                        {
                            output.WriteLine(string.Create(CliTexts.Indonesian, $"  {r.OnDate:yyyy-MM-dd} {r.Percent} % {r.Note} ({r.Photos.Count} foto)"));
                        }
                        foreach (var b in view.Beneficiaries ?? [])
                        {
                            output.WriteLine($"  #{b.FamilyId} {b.Head} {b.NoKkMasked} RT {b.Rt}");
                        }
                    });
            }
            var rows = await new ExportActivities(db).RowsAsync(parse.GetValue(plan), AccessScope.Regency, cancellationToken);
            if (parse.GetValue(output) is { } path)
            {
                await using (var file = File.Create(path))
                {
                    await ExportActivities.WriteAsync(file, rows, path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase), cancellationToken);
                }
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Export, "kegiatan-p2kp", null,
                    string.Create(CultureInfo.InvariantCulture, $"{rows.Count} kegiatan ke {Path.GetFileName(path)}"), CancellationToken.None);
                context.Error.WriteLine(CliTexts.Both("Upk.ActivitiesWritten", rows.Count, path));
                return 0;
            }
            if (parse.GetValue(json))
            {
                WriteJson(context, rows);
                return 0;
            }
            MarkdownTable.Write(context.Out, "| ID | Rencana | Desa | Pilar | Kegiatan | Anggaran | Realisasi | Penerima | Kemajuan |", "|---:|---|---|---|---|---:|---:|---:|---:|", rows, r =>
                $"| {r.ActivityId} | {r.Plan} | {r.KodeDesa} | {r.Pillar} | {r.Activity} | {r.Planned:N0} | {r.Realised:N0} | {r.Beneficiaries} | {r.Percent?.ToString(CliTexts.Indonesian) ?? "—"} |");
            return 0;
        });
        return command;
    }

    private static Command Beneficiaries(CliContext context)
    {
        var activity = new Argument<long>("KEGIATAN") { Description = CliTexts.Both("Upk.Argument.Kegiatan") };
        var add = new Option<long[]>("--tambah") { Description = CliTexts.Both("Upk.Option.Tambah"), AllowMultipleArgumentsPerToken = true };
        var remove = new Option<long[]>("--hapus") { Description = CliTexts.Both("Upk.Option.Hapus"), AllowMultipleArgumentsPerToken = true };
        var json = Json();
        var user = User();
        var command = new Command("penerima", CliTexts.Both("Upk.Command.Penerima")) { activity, add, remove, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var id = parse.GetValue(activity);
            var actor = CliContext.Operator(parse.GetValue(user));
            var outcome = await new ActivityBeneficiaries(db, context.Clock).RunAsync(new ActivityBeneficiaries.Input(id, parse.GetValue(add) ?? [], parse.GetValue(remove) ?? [],
                actor, Role, AccessScope.Regency), cancellationToken);
            if (outcome.Problems.Count > 0)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            return await RecordedAsync(context, database, parse, json, user, "kegiatan-p2kp", id,
                $"penerima manfaat +{outcome.Added} −{outcome.Removed} keluarga", outcome, CliTexts.Both("Upk.BeneficiariesChanged", outcome.Added, outcome.Removed));
        });
        return command;
    }

    private static Command Progress(CliContext context)
    {
        var activity = new Argument<long>("KEGIATAN") { Description = CliTexts.Both("Upk.Argument.Kegiatan") };
        var percent = new Option<int>("--persen") { Description = CliTexts.Both("Upk.Option.Persen"), Required = true };
        var date = new Option<string?>("--tanggal") { Description = CliTexts.Both("Upk.Option.Tanggal") };
        var note = new Option<string?>("--catatan") { Description = CliTexts.Both("Upk.Option.Catatan") };
        var photos = new Option<string[]>("--foto") { Description = CliTexts.Both("Upk.Option.Foto"), AllowMultipleArgumentsPerToken = true };
        var json = Json();
        var user = User();
        var command = new Command("kemajuan", CliTexts.Both("Upk.Command.Kemajuan")) { activity, percent, date, note, photos, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (DateOrToday(context, parse.GetValue(date)) is not { } today)
            {
                return Refusals.Print(context, [_dateFormat]);
            }
            var uploads = new List<AttachmentRules.Upload>();
            foreach (var path in parse.GetValue(photos) ?? [])
            {
                if (!File.Exists(path))
                {
                    context.Error.WriteLine(CliTexts.Both("FileNotFound", path));
                    return 1;
                }
                // Read at most one byte past the limit: the use case refuses a larger photo without holding all of it.
                await using var file = File.OpenRead(path);
                var buffer = new byte[AttachmentRules.MaxBytes + 1];
                var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                uploads.Add(new AttachmentRules.Upload(Path.GetFileName(path), buffer[..read]));
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var store = AttachmentStore.FromConfiguration(context.Configuration, Directory.GetCurrentDirectory());
            var id = parse.GetValue(activity);
            var outcome = await new RecordProgress(db, context.Clock, store, context.Regency).RunAsync(new RecordProgress.Input(id, today, parse.GetValue(percent),
                parse.GetValue(note), uploads, CliContext.Operator(parse.GetValue(user)), Role, AccessScope.Regency), cancellationToken);
            if (outcome.Progress is not { } progress)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            return await RecordedAsync(context, database, parse, json, user, "kegiatan-p2kp", id,
                $"kemajuan {progress.Percent} % per {progress.OnDate:yyyy-MM-dd}, {uploads.Count} foto", progress, CliTexts.Both("Upk.ProgressRecorded", progress.Percent, progress.OnDate, uploads.Count));
        });
        return command;
    }

    private static Command Mapping(CliContext context)
    {
        var mapping = new Command("pemetaan", CliTexts.Both("Upk.Command.Pemetaan"));
        var desa = new Option<string>("--desa") { Description = CliTexts.Both("Upk.Pemetaan.Option.Desa"), Required = true };
        var year = new Option<int?>("--tahun") { Description = CliTexts.Both("Upk.Option.Tahun") };
        var json = Json();
        var user = User();

        var file = new Argument<string>("CSV") { Description = CliTexts.Both("Upk.Pemetaan.Argument.Csv") };
        var dryRun = new Option<bool>("--dry-run") { Description = CliTexts.Both("Upk.Pemetaan.Option.DryRun") };
        var import = new Command("import", CliTexts.Both("Upk.Command.PemetaanImport")) { file, desa, year, dryRun, json, user };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                context.Error.WriteLine(CliTexts.Both("FileNotFound", path));
                return 1;
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = Regions.RegionCode.ToDotted(parse.GetValue(desa)!) ?? parse.GetValue(desa)!;
            var use = new CommunityMapping(db, database, context.Clock, context.Regency);
            using var reader = new StreamReader(path);
            var outcome = await new ImportCommunityMapping(db, use).RunAsync(new ImportCommunityMapping.Input(code, parse.GetValue(year) ?? context.Regency.Value.Today(context.Clock).Year,
                reader, parse.GetValue(dryRun), CliContext.Operator(parse.GetValue(user)), Role, AccessScope.Regency), cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, outcome);
            }
            if (outcome.Problems.Count > 0)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            foreach (var e in outcome.Errors.Take(50))
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  galat baris {e.Row} {e.Column} [{e.Code}] {e.Message} / {e.MessageEn}"));
            }
            if (outcome.Errors.Count > 0)
            {
                context.Error.WriteLine(CliTexts.Both("NothingWrittenErrors"));
                return Refusals.ExitCode;
            }
            if (outcome.Written)
            {
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Import, "pemetaan-swadaya", code,
                    string.Create(CultureInfo.InvariantCulture, $"{outcome.Recorded} keluarga dari {Path.GetFileName(path)}"), CancellationToken.None);
            }
            context.Error.WriteLine(CliTexts.Both("Upk.MappingWritten", outcome.Rows, outcome.Recorded));
            return 0;
        });
        mapping.Subcommands.Add(import);

        var rt = new Option<string?>("--rt") { Description = CliTexts.Both("Upk.Pemetaan.Option.Rt") };
        var list = new Command("list", CliTexts.Both("Upk.Command.PemetaanList")) { desa, year, rt, json, user };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = Regions.RegionCode.ToDotted(parse.GetValue(desa)!) ?? parse.GetValue(desa)!;
            var overview = await new CommunityMapping(db, database, context.Clock, context.Regency).ReadAsync(code, parse.GetValue(year) ?? context.Regency.Value.Today(context.Clock).Year,
                parse.GetValue(rt), Role, AccessScope.Regency, cancellationToken);
            if (overview is null)
            {
                return Refusals.Print(context, [CliTexts.Problem("Upk.DesaNotFound", "--desa", "NOT_FOUND")]);
            }
            return await ShownAsync(context, database, parse, json, user, "pemetaan-swadaya", code, "pemetaan swadaya", overview, output =>
            {
                MarkdownTable.Write(output, "| RT | Keluarga | miskin | hampir miskin | tidak miskin |", "|---|---:|---:|---:|---:|", overview.Rts, r =>
                    $"| {r.Rt} | {r.Families} | {r.Miskin} | {r.HampirMiskin} | {r.TidakMiskin} |");
                foreach (var f in overview.Families)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  #{f.FamilyId} {f.NoKkMasked} {f.Head}: {CommunityMapping.Categories.FirstOrDefault(c => c.Code == f.Category).Name ?? "—"}"));
                }
            });
        });
        mapping.Subcommands.Add(list);
        return mapping;
    }

    private static Command Grants(CliContext context)
    {
        var grants = new Command("bantuan", CliTexts.Both("Upk.Command.Bantuan"));
        var json = Json();
        var user = User();
        var desa = new Option<string?>("--desa") { Description = CliTexts.Both("Upk.Bantuan.Option.Desa") };
        var year = new Option<int?>("--tahun");
        var list = new Command("list", CliTexts.Both("Upk.Command.BantuanList")) { desa, year, json, user };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = parse.GetValue(desa) is { } d ? Regions.RegionCode.ToDotted(d) ?? d : null;
            var outcome = await new ReadGrants(db).RunAsync(code, parse.GetValue(year), Role, AccessScope.Regency, cancellationToken);
            return await ShownAsync(context, database, parse, json, user, "bantuan-ups", code, "bantuan sosial UPS", outcome, output =>
                MarkdownTable.Write(output, "| Tanggal | BKM | Keluarga | Jenis | Jumlah | Natura | Sumber |", "|---|---|---|---|---:|---|---|", outcome.Grants, g =>
                    $"| {g.GivenOn:yyyy-MM-dd} | {g.Bkm} | #{g.FamilyId} {g.Head} | {g.Kind} | {g.Amount:N0} | {g.InKind} | {g.Source} |"));
        });
        grants.Subcommands.Add(list);

        var bkm = new Option<long>("--bkm") { Description = "ID BKM", Required = true };
        var family = new Option<long>("--keluarga") { Description = CliTexts.Both("Upk.Option.Keluarga"), Required = true };
        var date = new Option<string?>("--tanggal") { Description = CliTexts.Both("Upk.Option.Tanggal") };
        var kind = new Option<string>("--jenis") { Description = string.Join(" | ", GrantTerms.Kinds.Select(k => k.Code)), Required = true };
        var amount = new Option<long>("--jumlah") { Description = "Rupiah" };
        var inKind = new Option<string?>("--natura") { Description = CliTexts.Both("Upk.Option.Natura") };
        var source = new Option<string>("--sumber") { Description = string.Join(" | ", PlanTerms.Sources), Required = true };
        var give = new Command("catat", CliTexts.Both("Upk.Command.BantuanCatat")) { bkm, family, date, kind, amount, inKind, source, json, user };
        give.SetAction(async (parse, cancellationToken) =>
        {
            if (DateOrToday(context, parse.GetValue(date)) is not { } on)
            {
                return Refusals.Print(context, [_dateFormat]);
            }
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var outcome = await new GiveGrant(db, context.Clock, context.Regency).RunAsync(new GiveGrant.Input(parse.GetValue(bkm), parse.GetValue(family), on, parse.GetValue(kind),
                parse.GetValue(amount), parse.GetValue(inKind), parse.GetValue(source), CliContext.Operator(parse.GetValue(user)), Role, AccessScope.Regency), cancellationToken);
            if (outcome.Grant is not { } grant)
            {
                return Refusals.Print(context, outcome.Problems);
            }
            return await RecordedAsync(context, database, parse, json, user, "bantuan-ups", grant.Id,
                $"BKM {grant.BkmId} keluarga #{grant.FamilyId}: {grant.Kind} {grant.Amount} {grant.Source} {grant.GivenOn:yyyy-MM-dd}", grant, CliTexts.Both("Upk.GrantRecorded", grant.Id));
        });
        grants.Subcommands.Add(give);
        return grants;
    }
}
