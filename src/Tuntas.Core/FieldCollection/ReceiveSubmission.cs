using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Tuntas.Attachments;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Users;
using Tuntas.Verivali;

namespace Tuntas.FieldCollection;

/// <summary>
/// Takes one filled form from the field (OpenRosa submission: the instance XML and its photos). Everything is checked
/// before anything is written, and then written in one transaction with the photos staged first and published after the
/// commit (<see cref="AttachmentStore"/>), so nothing is ever half-stored:
/// <list type="number">
/// <item>the XML, the form and its version (any published version), the instanceID, the photos (named in the XML, sent,
/// JPEG or PNG by their bytes, within <see cref="AttachmentRules.MaxBytes"/>) — a failure is an error response and
/// nothing is stored;</item>
/// <item>the same instanceID again with the same XML is the phone resending: stored once, answered as a success; with
/// other content it is refused (409);</item>
/// <item>a family not assigned to the enumerator, or a village outside their area: refused (403), nothing stored;</item>
/// <item>the content: a visit goes through <see cref="RecordVisit"/> (the import's rules and codes), a new family through
/// the import's field rules. What fails is kept as a refused submission with its reasons, for the enumerator and the
/// operator to see; what passes becomes a visit result on the worklist line (never a registry write).</item>
/// </list>
/// </summary>
public sealed class ReceiveSubmission(TuntasDb db, TimeProvider clock, AttachmentStore store, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>Largest instance XML taken (a form with a few dozen members is under 100 KB).</summary>
    public const int MaxXmlBytes = 1024 * 1024;

    public sealed record Attachment(string FileName, byte[] Content);

    public sealed record Input(byte[] Xml, IReadOnlyList<Attachment> Attachments, AuthenticateDevice.Device Device);

    /// <summary>HTTP status to answer (201, 400, 403, 409), the problem of an error, the stored submission.</summary>
    public sealed record Outcome(int Status, Problem? Problem, FieldSubmission? Submission, bool Duplicate = false)
    {
        public static Outcome Error(int status, string code, string? field = null, params object?[] args) => new(status, FieldTerms.Problem(code, field, args), null);
    }

    private sealed record Content(long? LineId, string? KodeDesa, Func<Task<List<string>>> ApplyAsync);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        if (input.Xml.Length > MaxXmlBytes)
        {
            return Outcome.Error(413, "TOO_LARGE", null, MaxXmlBytes / (1024 * 1024));
        }
        if (Parse(input.Xml) is not { } instance)
        {
            return Outcome.Error(400, "XML_MALFORMED");
        }
        var formId = (string?)instance.Attribute("id") ?? "";
        if (!FieldForms.Exists(formId))
        {
            return Outcome.Error(400, "FORM_UNKNOWN", null, formId.Length > 60 ? formId[..60] : formId);
        }
        // The current version exists even if no phone has asked for the form list since the last release.
        await new PublishForms(db, clock).CurrentAsync(formId, cancellationToken);
        var versionText = (string?)instance.Attribute("version") ?? "";
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || !await db.FieldForms.AnyAsync(f => f.FormId == formId && f.Version == version, cancellationToken))
        {
            return Outcome.Error(400, "FORM_VERSION", null, versionText.Length > 20 ? versionText[..20] : versionText);
        }
        var instanceId = Value(instance, "meta", "instanceID");
        if (instanceId is null || instanceId.Length > 100)
        {
            return Outcome.Error(400, "INSTANCE_ID");
        }
        var xmlHash = Convert.ToHexStringLower(SHA256.HashData(input.Xml));
        if (await DuplicateAsync(instanceId, xmlHash, cancellationToken) is { } seen)
        {
            return seen;
        }
        if (CheckPhotos(instance, input.Attachments) is { } photoProblem)
        {
            return photoProblem;
        }
        var device = input.Device;
        var (content, refusal) = formId == FieldForms.Visit
            ? await VisitAsync(instance, device, cancellationToken)
            : await NewFamilyAsync(instance, device, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var staged = new List<(Attachment File, AttachmentStore.Staged Staged)>();
        foreach (var file in input.Attachments)
        {
            staged.Add((file, await store.StageAsync(file.Content, AttachmentRules.Detect(file.Content)!, cancellationToken)));
        }
        var (lat, lon, accuracy) = GeoPoint(Value(instance, "lokasi"));
        var submission = new FieldSubmission
        {
            InstanceId = instanceId,
            FormId = formId,
            FormVersion = version,
            SubmittedBy = device.User.UserName,
            DeviceTokenId = device.Token?.Id,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            Status = FieldTerms.Accepted,
            LineId = content!.LineId,
            KodeDesa = content.KodeDesa,
            Latitude = lat,
            Longitude = lon,
            Accuracy = accuracy,
            XmlHash = xmlHash,
            Xml = Encoding.UTF8.GetString(input.Xml),
        };
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var reasons = await content.ApplyAsync();
                if (reasons.Count > 0)
                {
                    db.ChangeTracker.Clear();
                    submission.Status = FieldTerms.Refused;
                    submission.Problems = string.Join("\n", reasons);
                }
                submission.LineId = content.LineId ?? (reasons.Count == 0 ? _createdLine?.Id : null);
                db.FieldSubmissions.Add(submission);
                await db.SaveChangesAsync(cancellationToken);
                db.FieldSubmissionFiles.AddRange(staged.Select(s => new FieldSubmissionFile
                {
                    SubmissionId = submission.Id,
                    FileName = Path.GetFileName(s.File.FileName),
                    StoredName = s.Staged.StoredName,
                    ContentType = s.Staged.Type.ContentType,
                    Size = s.Staged.Size,
                    Sha256 = s.Staged.Sha256,
                }));
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // The same instanceID committed by a parallel request (the unique index): answer as for a resend.
            foreach (var s in staged)
            {
                store.Discard(s.Staged);
            }
            db.ChangeTracker.Clear();
            return await DuplicateAsync(instanceId, xmlHash, cancellationToken) ?? throw new InvalidOperationException("Submission not stored.");
        }
        catch
        {
            foreach (var s in staged)
            {
                store.Discard(s.Staged);
            }
            throw;
        }
        foreach (var s in staged)
        {
            store.Publish(s.Staged);
        }
        return new Outcome(201, null, submission);
    }

    private VerivaliLine? _createdLine;

    private async Task<Outcome?> DuplicateAsync(string instanceId, string xmlHash, CancellationToken cancellationToken)
    {
        var existing = await db.FieldSubmissions.AsNoTracking().SingleOrDefaultAsync(s => s.InstanceId == instanceId, cancellationToken);
        return existing is null ? null
            : existing.XmlHash == xmlHash ? new Outcome(201, null, existing, Duplicate: true)
            : Outcome.Error(409, "INSTANCE_REPLAYED");
    }

    /// <summary>The photo the XML names must be sent, and every file sent must be named and be a JPEG or PNG photo.</summary>
    private static Outcome? CheckPhotos(XElement instance, IReadOnlyList<Attachment> attachments)
    {
        var named = Value(instance, FieldForms.PhotoField);
        foreach (var file in attachments)
        {
            var name = Path.GetFileName(file.FileName);
            if (name != named)
            {
                return Outcome.Error(400, "ATTACHMENT_UNEXPECTED", null, AttachmentRules.DownloadName(name, null));
            }
            if (file.Content.LongLength > AttachmentRules.MaxBytes)
            {
                return Outcome.Error(413, "ATTACHMENT_TOO_LARGE", null, AttachmentRules.DownloadName(name, null), AttachmentRules.MaxBytes / (1024 * 1024));
            }
            if (AttachmentRules.Detect(file.Content) is not { } type || type == AttachmentRules.Pdf)
            {
                return Outcome.Error(400, "ATTACHMENT_TYPE", null, AttachmentRules.DownloadName(name, null));
            }
        }
        if (named is not null && !attachments.Any(a => Path.GetFileName(a.FileName) == named))
        {
            return Outcome.Error(400, "ATTACHMENT_MISSING", null, AttachmentRules.DownloadName(named, null));
        }
        return null;
    }

    private async Task<(Content?, Outcome?)> VisitAsync(XElement instance, AuthenticateDevice.Device device, CancellationToken cancellationToken)
    {
        if (!long.TryParse(Value(instance, "baris"), NumberStyles.None, CultureInfo.InvariantCulture, out var lineId))
        {
            return (null, Outcome.Error(400, "LINE_REQUIRED"));
        }
        var user = device.User;
        var line = await VerivaliLines.Visible(db, device.Scope, user.Role, user.UserName).AsNoTracking().SingleOrDefaultAsync(l => l.Id == lineId, cancellationToken);
        // The CSV on the phone lists only the lines assigned to this user: any other line (another enumerator's family,
        // another village) is refused outright.
        if (line is null || line.AssignedTo != user.UserName)
        {
            return (null, Outcome.Error(403, "NOT_ASSIGNED"));
        }
        var outcome = Value(instance, "hasil") ?? "";
        var changes = new List<VisitChange>();
        if (outcome == VerivaliTerms.Corrected && line.FamilyId is { } familyId)
        {
            var family = await db.Families.AsNoTracking().SingleAsync(f => f.Id == familyId, cancellationToken);
            foreach (var rule in FieldForms.VisitFamilyRules)
            {
                var sent = Value(instance, "rumah", rule.Column.ToLowerInvariant());
                var current = RegistryColumns.Canonical(RegistryFields.FamilyColumn(rule.Column).Get(family));
                if (sent is not null && !SameValue(rule, sent, current))
                {
                    changes.Add(new VisitChange(null, rule.Column, sent));
                }
            }
        }
        foreach (var member in instance.Elements().Where(e => e.Name.LocalName == "anggota" && e.Attribute(XFormBuilder.Jr + "template") is null))
        {
            var status = Value(member, "status_hidup");
            if (long.TryParse(Value(member, "person_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var personId) && status is not (null or "hidup"))
            {
                var date = DateOnly.TryParseExact(Value(member, "tanggal_status"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null;
                changes.Add(new VisitChange(personId, RegistryHistory.LifeStatusField, status, date));
            }
        }
        // The member named the new head when the head was recorded as no longer living (the form's kepala_baru).
        if (long.TryParse(Value(instance, "kepala_baru"), NumberStyles.None, CultureInfo.InvariantCulture, out var newHead))
        {
            changes.Add(new VisitChange(newHead, "HUBUNGAN_KK", "1"));
        }
        var note = Value(instance, "catatan");
        return (new Content(line.Id, line.KodeDesa, async () =>
        {
            var result = await new RecordVisit(db, clock, regency: regency).RunAsync(
                new RecordVisit.Input(line.Id, outcome, changes, note, device.Scope, user.Role, user.UserName), cancellationToken);
            return result.Problem is { } problem ? [$"{problem.Code}: {problem.Message} / {problem.MessageEn}"]
                : [.. result.FieldProblems.Select(Describe)];
        }), null);
    }

    private async Task<(Content?, Outcome?)> NewFamilyAsync(XElement instance, AuthenticateDevice.Device device, CancellationToken cancellationToken)
    {
        var kodeDesa = RegionCode.ToDotted(Value(instance, "kode_desa") ?? "") ?? "";
        if (!await new FieldMedia(db).MayProposeInAsync(kodeDesa, device.User.UserName, device.Scope, cancellationToken))
        {
            return (null, Outcome.Error(403, "DESA_OUTSIDE", null, kodeDesa.Length > 20 ? kodeDesa[..20] : kodeDesa));
        }
        // The same use case as the back office and the API: the form's fields are the import's columns in lower case.
        var family = FieldForms.NewFamilyRules.ToDictionary(r => r.Column, r => Value(instance, r.Column.ToLowerInvariant()), StringComparer.Ordinal);
        var members = instance.Elements().Where(e => e.Name.LocalName == "anggota" && e.Attribute(XFormBuilder.Jr + "template") is null)
            .Select(m => (IReadOnlyDictionary<string, string?>)FieldForms.NewPersonRules.ToDictionary(r => r.Column, r => Value(m, r.Column.ToLowerInvariant()), StringComparer.Ordinal))
            .ToList();
        var prepared = await new ProposeNewFamily(db, clock, regency).PrepareAsync(new ProposeNewFamily.Input(family, members, Value(instance, "catatan"),
            device.Scope, device.User.Role, device.User.UserName), cancellationToken);
        return (new Content(null, kodeDesa, async () =>
        {
            if (prepared.Line is null)
            {
                return [.. prepared.Problems.Select(Describe)];
            }
            // A proposed family waits on the worklist as a visited line without a registry row; the musdes decides, and an
            // agreed one goes to the proposal for the ministry (ApplyDecisions). Its full data stays in the submission too.
            _createdLine = prepared.Line;
            db.VerivaliLines.Add(_createdLine);
            await db.SaveChangesAsync(cancellationToken);
            return [];
        }), null);
    }

    private static string Describe(RegistryProblem p) => $"{p.Code} {p.Field}: {p.Message} / {p.MessageEn}";

    private static string Describe(Problem p) => p.Field.Length > 0 ? $"{p.Code} {p.Field}: {p.Message} / {p.MessageEn}" : $"{p.Code}: {p.Message} / {p.MessageEn}";

    /// <summary>A value sent equal to the registry's (numbers compared as numbers: "36" and "36.0" are the same floor area).</summary>
    private static bool SameValue(RegistryFields.Rule rule, string sent, string? current)
    {
        if (sent == (current ?? ""))
        {
            return true;
        }
        return rule.Kind is RegistryFields.Kind.Decimal or RegistryFields.Kind.Int or RegistryFields.Kind.Long or RegistryFields.Kind.Power
            && double.TryParse(sent, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(current, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && Math.Abs(a - b) < 1e-9;
    }

    /// <summary>The instance, parsed without DTDs or external entities (OWASP XXE); null when not well-formed.</summary>
    public static XElement? Parse(byte[] xml)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxXmlBytes,
            });
            return XDocument.Load(reader).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The trimmed text of a child path by local names (Collect writes the instance with or without a namespace), or null when empty.</summary>
    public static string? Value(XElement element, params string[] path)
    {
        XElement? node = element;
        foreach (var name in path)
        {
            node = node?.Elements().FirstOrDefault(e => e.Name.LocalName == name);
        }
        return node?.Value.Trim() is { Length: > 0 } text ? text : null;
    }

    /// <summary>An ODK geopoint: "latitude longitude altitude accuracy".</summary>
    public static (double? Lat, double? Lon, double? Accuracy) GeoPoint(string? value)
    {
        var parts = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double? At(int i) => parts.Length > i && double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
        var (lat, lon) = (At(0), At(1));
        return lat is >= -90 and <= 90 && lon is >= -180 and <= 180 ? (lat, lon, At(3)) : (null, null, null);
    }
}
