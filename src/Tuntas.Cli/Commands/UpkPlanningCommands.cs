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

    private static Option<bool> Json() => new("--json") { Description = "JSON ke stdout / JSON on standard output" };

    private static Option<string?> User() => new("--user") { Description = "Nama operator untuk jejak audit / operator name for the audit trail" };

    private static readonly Problem _dateFormat = new("--tanggal", "DATE_FORMAT", "Tanggal YYYY-MM-DD.", "Date YYYY-MM-DD.");

    /// <summary>The <c>--tanggal</c> given (YYYY-MM-DD), the regency's today without one, null when it is no date.</summary>
    private static DateOnly? DateOrToday(CliContext context, string? text) =>
        text is null ? context.Regency.Value.Today(context.Clock)
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static void WriteJson<T>(CliContext context, T value) => context.Out.WriteLine(JsonSerializer.Serialize(value, LoanBookReport.JsonOptions));

    private static Command Plans(CliContext context)
    {
        var json = Json();
        var command = new Command("rencana", "PJM Pronangkis dan Renta BKM / the BKMs' plans") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var db = (await context.ReadyDatabaseAsync(cancellationToken)).CreateDb();
            var plans = await new ReadPlans(db).ListAsync(AccessScope.Regency, cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, plans);
                return 0;
            }
            context.Out.WriteLine("| ID | BKM | Desa | Jenis | Tahun | Judul | Kegiatan | Anggaran | Realisasi |");
            context.Out.WriteLine("|---:|---|---|---|---|---|---:|---:|---:|");
            foreach (var p in plans)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {p.Id} | {p.Bkm} | {p.KodeDesa} | {p.Kind} | {p.YearFrom}–{p.YearTo} | {p.Title} | {p.Activities} | {p.Budget.Planned:N0} | {p.Budget.Realised:N0} |"));
            }
            return 0;
        });
        return command;
    }

    private static Command Activities(CliContext context)
    {
        var plan = new Option<long?>("--rencana") { Description = "ID rencana; tanpa ini semua / plan id; without it every plan" };
        var output = new Option<string?>("--out") { Description = "Tulis ke berkas .csv atau .xlsx / write a .csv or .xlsx file" };
        var id = new Option<long?>("--id") { Description = "Satu kegiatan dengan kemajuan dan penerima manfaat / one activity with its progress and beneficiaries" };
        var json = Json();
        var user = User();
        var command = new Command("kegiatan", "Kegiatan rencana BKM: daftar, ekspor, atau satu kegiatan / plan activities: list, export, or one") { plan, output, id, json, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            if (parse.GetValue(id) is { } activityId)
            {
                if (await new ReadActivity(db).RunAsync(activityId, Role, AccessScope.Regency, cancellationToken) is not { } view)
                {
                    return Refusals.Print(context, [new("--id", "NOT_FOUND", "Kegiatan tidak ada.", "No such activity.")]);
                }
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "kegiatan-p2kp",
                    activityId.ToString(CultureInfo.InvariantCulture), "penerima manfaat dan kemajuan", CancellationToken.None);
                if (parse.GetValue(json))
                {
                    WriteJson(context, view);
                    return 0;
                }
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{view.Place.Name} ({view.Place.Pillar}), {view.Place.Bkm}: {view.Percent?.ToString(CultureInfo.InvariantCulture) ?? "—"} %, {view.BeneficiaryCount} keluarga"));
                foreach (var r in view.Progress)
                {
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.OnDate:yyyy-MM-dd} {r.Percent} % {r.Note} ({r.Photos.Count} foto)"));
                }
                foreach (var b in view.Beneficiaries ?? [])
                {
                    context.Out.WriteLine($"  #{b.FamilyId} {b.Head} {b.NoKkMasked} RT {b.Rt}");
                }
                return 0;
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
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} kegiatan ditulis / activities written: {path}"));
                return 0;
            }
            if (parse.GetValue(json))
            {
                WriteJson(context, rows);
                return 0;
            }
            context.Out.WriteLine("| ID | Rencana | Desa | Pilar | Kegiatan | Anggaran | Realisasi | Penerima | Kemajuan |");
            context.Out.WriteLine("|---:|---|---|---|---|---:|---:|---:|---:|");
            foreach (var r in rows)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.ActivityId} | {r.Plan} | {r.KodeDesa} | {r.Pillar} | {r.Activity} | {r.Planned:N0} | {r.Realised:N0} | {r.Beneficiaries} | {r.Percent?.ToString(CultureInfo.InvariantCulture) ?? "—"} |"));
            }
            return 0;
        });
        return command;
    }

    private static Command Beneficiaries(CliContext context)
    {
        var activity = new Argument<long>("KEGIATAN") { Description = "ID kegiatan / activity id" };
        var add = new Option<long[]>("--tambah") { Description = "ID keluarga penerima manfaat / beneficiary family ids", AllowMultipleArgumentsPerToken = true };
        var remove = new Option<long[]>("--hapus") { Description = "ID keluarga yang dihapus / family ids to remove", AllowMultipleArgumentsPerToken = true };
        var json = Json();
        var user = User();
        var command = new Command("penerima", "Keluarga penerima manfaat kegiatan / an activity's beneficiary families") { activity, add, remove, json, user };
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
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "kegiatan-p2kp", id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"penerima manfaat +{outcome.Added} −{outcome.Removed} keluarga"), CancellationToken.None);
            if (parse.GetValue(json))
            {
                WriteJson(context, outcome);
            }
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"+{outcome.Added} −{outcome.Removed} keluarga / families"));
            return 0;
        });
        return command;
    }

    private static Command Progress(CliContext context)
    {
        var activity = new Argument<long>("KEGIATAN") { Description = "ID kegiatan / activity id" };
        var percent = new Option<int>("--persen") { Description = "Kemajuan 0–100 / progress percent", Required = true };
        var date = new Option<string?>("--tanggal") { Description = "YYYY-MM-DD; tanpa ini hari ini / default today" };
        var note = new Option<string?>("--catatan") { Description = "Catatan / note" };
        var photos = new Option<string[]>("--foto") { Description = "Foto JPEG/PNG (≤ 5) / photos", AllowMultipleArgumentsPerToken = true };
        var json = Json();
        var user = User();
        var command = new Command("kemajuan", "Catat kemajuan kegiatan dengan foto / report an activity's progress with photos") { activity, percent, date, note, photos, json, user };
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
                    context.Error.WriteLine($"Berkas tidak ditemukan / file not found: {path}");
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
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "kegiatan-p2kp", id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"kemajuan {progress.Percent} % per {progress.OnDate:yyyy-MM-dd}, {uploads.Count} foto"), CancellationToken.None);
            if (parse.GetValue(json))
            {
                WriteJson(context, progress);
            }
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Dicatat / recorded: {progress.Percent} % per {progress.OnDate:yyyy-MM-dd}, {uploads.Count} foto"));
            return 0;
        });
        return command;
    }

    private static Command Mapping(CliContext context)
    {
        var mapping = new Command("pemetaan", "Pemetaan swadaya: impor CSV dan daftar / the community's mapping: CSV import and list");
        var desa = new Option<string>("--desa") { Description = "Kode desa (33.14.01.2001 atau 3314012001)", Required = true };
        var year = new Option<int?>("--tahun") { Description = "Tahun; tanpa ini tahun ini / year, default this year" };
        var json = Json();
        var user = User();

        var file = new Argument<string>("CSV") { Description = "NO_KK, KATEGORI (miskin | hampir miskin | tidak miskin | 1–3), RT opsional" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Periksa saja / check only" };
        var import = new Command("import", "Impor pemetaan dari CSV; galat apa pun: tidak ada yang ditulis / import from CSV; any error writes nothing") { file, desa, year, dryRun, json, user };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                context.Error.WriteLine($"Berkas tidak ditemukan / file not found: {path}");
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
                context.Error.WriteLine("Ada galat: tidak ada yang ditulis / errors: nothing written.");
                return Refusals.ExitCode;
            }
            if (outcome.Written)
            {
                await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Import, "pemetaan-swadaya", code,
                    string.Create(CultureInfo.InvariantCulture, $"{outcome.Recorded} keluarga dari {Path.GetFileName(path)}"), CancellationToken.None);
            }
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome.Rows:N0} baris, {outcome.Recorded:N0} keluarga ditulis / rows, families written"));
            return 0;
        });
        mapping.Subcommands.Add(import);

        var rt = new Option<string?>("--rt") { Description = "Satu RT: keluarganya dengan kategori / one RT's families with their category" };
        var list = new Command("list", "Pemetaan desa per RT dan perbandingan dengan desil / a desa's mapping per RT and against the deciles") { desa, year, rt, json, user };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = Regions.RegionCode.ToDotted(parse.GetValue(desa)!) ?? parse.GetValue(desa)!;
            var overview = await new CommunityMapping(db, database, context.Clock, context.Regency).ReadAsync(code, parse.GetValue(year) ?? context.Regency.Value.Today(context.Clock).Year,
                parse.GetValue(rt), Role, AccessScope.Regency, cancellationToken);
            if (overview is null)
            {
                return Refusals.Print(context, [new("--desa", "NOT_FOUND", "Desa tidak ada.", "No such desa.")]);
            }
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "pemetaan-swadaya", code, "pemetaan swadaya", CancellationToken.None);
            if (parse.GetValue(json))
            {
                WriteJson(context, overview);
                return 0;
            }
            context.Out.WriteLine("| RT | Keluarga | miskin | hampir miskin | tidak miskin |");
            context.Out.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var r in overview.Rts)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Rt} | {r.Families} | {r.Miskin} | {r.HampirMiskin} | {r.TidakMiskin} |"));
            }
            foreach (var f in overview.Families)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  #{f.FamilyId} {f.NoKkMasked} {f.Head}: {CommunityMapping.Categories.FirstOrDefault(c => c.Code == f.Category).Name ?? "—"}"));
            }
            return 0;
        });
        mapping.Subcommands.Add(list);
        return mapping;
    }

    private static Command Grants(CliContext context)
    {
        var grants = new Command("bantuan", "Bantuan sosial UPS kepada keluarga / the UPS's social grants to families");
        var json = Json();
        var user = User();
        var desa = new Option<string?>("--desa") { Description = "Kode desa; tanpa ini semua / desa code; without it all" };
        var year = new Option<int?>("--tahun");
        var list = new Command("list", "Daftar bantuan / list the grants") { desa, year, json, user };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var database = await context.ReadyDatabaseAsync(cancellationToken);
            await using var db = database.CreateDb();
            var code = parse.GetValue(desa) is { } d ? Regions.RegionCode.ToDotted(d) ?? d : null;
            var outcome = await new ReadGrants(db).RunAsync(code, parse.GetValue(year), Role, AccessScope.Regency, cancellationToken);
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.ViewPersonalData, "bantuan-ups", code, "bantuan sosial UPS", CancellationToken.None);
            if (parse.GetValue(json))
            {
                WriteJson(context, outcome);
                return 0;
            }
            context.Out.WriteLine("| Tanggal | BKM | Keluarga | Jenis | Jumlah | Natura | Sumber |");
            context.Out.WriteLine("|---|---|---|---|---:|---|---|");
            foreach (var g in outcome.Grants)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {g.GivenOn:yyyy-MM-dd} | {g.Bkm} | #{g.FamilyId} {g.Head} | {g.Kind} | {g.Amount:N0} | {g.InKind} | {g.Source} |"));
            }
            return 0;
        });
        grants.Subcommands.Add(list);

        var bkm = new Option<long>("--bkm") { Description = "ID BKM", Required = true };
        var family = new Option<long>("--keluarga") { Description = "ID keluarga / family id", Required = true };
        var date = new Option<string?>("--tanggal") { Description = "YYYY-MM-DD; tanpa ini hari ini / default today" };
        var kind = new Option<string>("--jenis") { Description = string.Join(" | ", GrantTerms.Kinds.Select(k => k.Code)), Required = true };
        var amount = new Option<long>("--jumlah") { Description = "Rupiah" };
        var inKind = new Option<string?>("--natura") { Description = "Uraian bantuan natura / what was given in kind" };
        var source = new Option<string>("--sumber") { Description = string.Join(" | ", PlanTerms.Sources), Required = true };
        var give = new Command("catat", "Catat bantuan untuk keluarga / record a grant to a family") { bkm, family, date, kind, amount, inKind, source, json, user };
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
            await context.AuditAsync(database, parse.GetValue(user), Audit.AuditActions.Change, "bantuan-ups", grant.Id.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"BKM {grant.BkmId} keluarga #{grant.FamilyId}: {grant.Kind} {grant.Amount} {grant.Source} {grant.GivenOn:yyyy-MM-dd}"), CancellationToken.None);
            if (parse.GetValue(json))
            {
                WriteJson(context, grant);
            }
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bantuan #{grant.Id} dicatat / grant recorded."));
            return 0;
        });
        grants.Subcommands.Add(give);
        return grants;
    }
}
