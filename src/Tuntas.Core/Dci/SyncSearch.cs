using System.Linq.Expressions;
using Tuntas.Programs;
using Tuntas.Registry;
using Tuntas.Targeting;

namespace Tuntas.Dci;

/// <summary>
/// DCI <c>POST /registry/sync/search</c> (DCI Social Registry API v1.0.0): reads the envelope (<c>header</c>, <c>message</c>),
/// checks the header (version, action, message time, counts) and answers each <c>search_request</c> with its own status —
/// <c>succ</c> with the page of group (or member) records, or <c>rjct</c> with the standard's reason code. Every query
/// runs inside the caller's <see cref="AccessScope"/>: a family outside it is answered exactly as one that does not
/// exist (nothing leaks), and a location filter wholly outside it is refused (<c>rjct.filter.invalid</c>).
/// The outcome also says, without any identifier, what was searched and how much was returned, for the audit entry.
/// </summary>
public sealed class SyncSearch(TuntasDb db, TimeProvider clock, DciOptions options, RegionNames regionNames)
{
    public const string Action = "search";
    public const string CallbackAction = "on-search";
    public const string RegistryType = "ns:tuntas:RegistryType:SocialRegistry";

    /// <param name="Request">The whole request body (signature, header, message).</param>
    /// <param name="ReceivedAt">When the message arrived, for an asynchronous search answered later by the worker:
    /// <c>message_ts</c> is judged against its arrival, not against the moment the worker reaches it.</param>
    /// <param name="CorrelationId">The id already given in an asynchronous ACK; a new one otherwise.</param>
    public sealed record Input(JsonElement Request, AccessScope Scope, DciDisclosure Disclosure, DateTimeOffset? ReceivedAt = null, string? CorrelationId = null);

    /// <param name="Error">A request that is not a DCI search message at all: HTTP 400 with this body.</param>
    /// <param name="Summary">For the audit trail: query types, statuses and record counts, never a NIK or NO_KK.</param>
    public sealed record Outcome(DciResponse<DciSearchResponse>? Response, DciErrorResponse? Error, string Summary);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var root = input.Request;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return Bad("The body must be a DCI message: {\"signature\", \"header\", \"message\"}.");
        }
        if (header.TryGetProperty("is_msg_encrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
        {
            return new Outcome(null, DciErrorResponse.Of(DciCodes.EncryptionInvalid, "Encrypted messages are not accepted; the transport is TLS."), "terenkripsi");
        }
        var messageId = SearchCriteria.Text(header, "message_id");
        var senderId = SearchCriteria.Text(header, "sender_id");
        if (string.IsNullOrWhiteSpace(messageId) || messageId.Length > 99 || string.IsNullOrWhiteSpace(senderId) || senderId.Length > 99)
        {
            return Bad("header.message_id and header.sender_id are required (at most 99 characters).");
        }
        var transactionId = SearchCriteria.Text(message, "transaction_id");
        var requests = message.TryGetProperty("search_request", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
        var count = requests.ValueKind == JsonValueKind.Array ? requests.GetArrayLength() : 0;
        var headerRejection = CheckHeader(header, Action, count, input.ReceivedAt ?? now);
        if (headerRejection is not null)
        {
            return new Outcome(Reply(senderId, DciStatus.Rejected, headerRejection, count, 0, null, now), null,
                "ditolak " + headerRejection.Code);
        }
        if (string.IsNullOrEmpty(transactionId) || transactionId.Length > 99)
        {
            return Bad("message.transaction_id is required (at most 99 characters).");
        }

        var results = new List<DciSearchResult>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var summary = new List<string>();
        var context = new Lazy<Task<LatestRun?>>(() => LatestRunAsync(cancellationToken));
        foreach (var item in requests.EnumerateArray())
        {
            var (result, said) = await AnswerAsync(item, seen, input, context, now, cancellationToken);
            results.Add(result);
            summary.Add(said);
        }
        var succeeded = results.Count(r => r.Status == DciStatus.Succeeded);
        var status = succeeded > 0 ? DciStatus.Succeeded : DciStatus.Rejected;
        var response = Reply(senderId, status, null, count, succeeded,
            new DciSearchResponse(transactionId, input.CorrelationId ?? NewId(), results), now);
        return new Outcome(response, null, string.Join("; ", summary));
    }

    /// <summary>The header checks every received message gets (version, action, message time, counts); the first failure.</summary>
    internal SearchCriteria.Rejection? CheckHeader(JsonElement header, string action, int count, DateTimeOffset now)
    {
        if ((SearchCriteria.Text(header, "version") ?? DciOptions.Version) != DciOptions.Version)
        {
            return new(DciCodes.VersionInvalid, "Only version 1.0.0 is supported.");
        }
        if (SearchCriteria.Text(header, "action") != action)
        {
            return new(DciCodes.ActionInvalid, $"header.action must be \"{action}\" here.");
        }
        if (SearchCriteria.Text(header, "message_ts") is not { } ts
            || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out var sent)
            || !HasOffset(ts) || (sent - now).Duration() > options.MessageAge)
        {
            return new(DciCodes.MessageTsInvalid, $"header.message_ts must be an ISO 8601 time with its offset, within {options.MessageAge.TotalMinutes:0} minutes of now.");
        }
        if (count == 0)
        {
            return new(DciCodes.TotalCountInvalid, "The message must hold at least one request.");
        }
        if (header.TryGetProperty("total_count", out var total) && SearchCriteria.Number(total) != count)
        {
            return new(DciCodes.TotalCountInvalid, "header.total_count must equal the number of requests.");
        }
        if (count > options.MaxSearchRequests)
        {
            return new(DciCodes.TotalCountLimitExceeded, $"At most {options.MaxSearchRequests} requests in one message.");
        }
        return null;
    }

    internal static bool HasOffset(string ts) => ts.EndsWith('Z') || ts.EndsWith('z') || (ts.Length > 6 && ts[^6] is '+' or '-' && ts[^3] == ':');

    internal sealed record LatestRun(long Id, string DecileModel);

    /// <summary>Compiled once: read on every search by identifier, where EF's per-query translation was a visible share.</summary>
    private static readonly PerModel<Func<TuntasDb, CancellationToken, Task<LatestRun?>>> _latestRunQuery = new(() => EF.CompileAsyncQuery(
        (TuntasDb db, CancellationToken _) => db.TargetingRuns.OrderByDescending(r => r.Id).Select(r => new LatestRun(r.Id, r.DecileModel)).FirstOrDefault()));

    internal Task<LatestRun?> LatestRunAsync(CancellationToken cancellationToken) => _latestRunQuery.For(db)(db, cancellationToken);

    private sealed class FoundFamily
    {
        public required Family Family { get; init; }
        public required List<Person> Persons { get; init; }
        public int? Desil { get; init; }
    }

    /// <summary>The Group record's columns of one or two families (the same id twice for one), with their living members
    /// and their decile in <c>runId</c>.</summary>
    private static readonly PerModel<Func<TuntasDb, long, long, long, IAsyncEnumerable<FoundFamily>>> _recordQuery = new(() => EF.CompileAsyncQuery(
        (TuntasDb db, long first, long second, long runId) => db.Families.Where(f => f.Id == first || f.Id == second).Select(f =>
                new FoundFamily
                {
                    Family = new Family
                    {
                        Id = f.Id,
                        NoKk = f.NoKk,
                        KodeDesa = f.KodeDesa,
                        Alamat = f.Alamat,
                        Rt = f.Rt,
                        Rw = f.Rw,
                        Lintang = f.Lintang,
                        Bujur = f.Bujur,
                        DesilNasional = f.DesilNasional,
                        DesilNasionalTanggal = f.DesilNasionalTanggal,
                        CreatedAt = f.CreatedAt,
                        UpdatedAt = f.UpdatedAt,
                    },
                    // Only the living: the record lists and counts no one else (GroupRecords), and a member search finds no one else.
                    Persons = f.Persons.Where(p => p.StatusHidup == LifeStatus.Hidup).Select(p => new Person
                    {
                        Id = p.Id,
                        FamilyId = p.FamilyId,
                        Nik = p.Nik,
                        Nama = p.Nama,
                        NamaKunci = "",
                        JenisKelamin = p.JenisKelamin,
                        TempatLahir = p.TempatLahir,
                        TanggalLahir = p.TanggalLahir,
                        HubunganKk = p.HubunganKk,
                        StatusKawin = p.StatusKawin,
                        Disabilitas = p.Disabilitas,
                        StatusHidup = p.StatusHidup,
                        CreatedAt = p.CreatedAt,
                    }).ToList(),
                    Desil = db.Set<RunDecile>().Where(d => d.FamilyId == f.Id && d.RunId == runId).Select(d => d.Desil).FirstOrDefault(),
                })));

    private async Task<(DciSearchResult Result, string Summary)> AnswerAsync(
        JsonElement item, HashSet<string> seen, Input input, Lazy<Task<LatestRun?>> latestRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var referenceId = item.ValueKind == JsonValueKind.Object ? SearchCriteria.Text(item, "reference_id") : null;
        var stamp = Stamp(now);
        DciSearchResult Rejected(string code, string text) => new(referenceId ?? "", stamp, DciStatus.Rejected, code, text, null, null, null);
        if (string.IsNullOrWhiteSpace(referenceId) || referenceId.Length > 99)
        {
            return (Rejected(DciCodes.ReferenceIdInvalid, "reference_id is required (at most 99 characters)."), "ditolak " + DciCodes.ReferenceIdInvalid);
        }
        if (!seen.Add(referenceId))
        {
            return (Rejected(DciCodes.ReferenceIdDuplicate, "reference_id appears twice in this message."), "ditolak " + DciCodes.ReferenceIdDuplicate);
        }
        if (SearchCriteria.Text(item, "timestamp") is not { } ts || !DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) || !HasOffset(ts))
        {
            return (Rejected(DciCodes.TimestampInvalid, "timestamp must be an ISO 8601 time with its offset."), "ditolak " + DciCodes.TimestampInvalid);
        }
        if (!item.TryGetProperty("search_criteria", out var criteriaJson))
        {
            return (Rejected(DciCodes.SearchCriteriaInvalid, "search_criteria is required."), "ditolak " + DciCodes.SearchCriteriaInvalid);
        }
        var (criteria, rejection) = SearchCriteria.Read(criteriaJson, options.MaxPageSize);
        if (criteria is null)
        {
            return (Rejected(rejection!.Code, rejection.Message), "ditolak " + rejection.Code);
        }
        var run = criteria.Filters.Any(f => f.Attribute == SearchCriteria.PovertyScore) || criteria.Sorts.Any(s => s.Attribute == SearchCriteria.PovertyScore)
            || criteria.ById is null ? await latestRun.Value : null;
        var (families, refused) = await FilterAsync(criteria, input.Scope, run, cancellationToken);
        if (refused is not null)
        {
            return (Rejected(refused.Code, refused.Message), "ditolak " + refused.Code);
        }
        List<object> records;
        int total;
        if (criteria.ById is not null)
        {
            (records, total) = await IdentifiedAsync(families!, criteria, input.Disclosure, latestRun, cancellationToken);
        }
        else
        {
            var page = await PageAsync(families!, criteria, run, cancellationToken);
            run ??= page.Ids.Count > 0 ? await latestRun.Value : null;
            (records, total) = (await RecordsAsync(page.Ids, criteria, run, input.Disclosure, cancellationToken), page.Total);
        }
        var what = criteria.ById is { } id ? $"{SearchCriteria.IdTypeValue} {id.Type}" : "ekspresi " + string.Join(",", criteria.Filters.Select(f => f.Attribute).Distinct());
        return (new DciSearchResult(referenceId, stamp, DciStatus.Succeeded, null, null,
                new DciSearchData(DciOptions.Version, RegistryType, criteria.Members ? GroupRecords.MemberRecordType : GroupRecords.GroupRecordType, records),
                new DciPagination(criteria.PageSize, criteria.PageNumber, total), null),
            $"{what}: {records.Count} rekaman dari {total}");
    }

    internal async Task<(IQueryable<Family>? Families, SearchCriteria.Rejection? Refused)> FilterAsync(
        SearchCriteria criteria, AccessScope scope, LatestRun? run, CancellationToken cancellationToken)
    {
        var families = scope.Apply(db.Families.AsNoTracking());
        if (criteria.ById is { } id)
        {
            var value = id.Value;
            // "family id IN (the person's family by its unique NIK)": an index seek on persons.nik, then the primary key,
            // where a correlated EXISTS made SQLite walk every family.
            var byNik = db.Persons.Where(p => p.Nik == value && p.StatusHidup == LifeStatus.Hidup).Select(p => p.FamilyId);
            families = id.Type == SearchCriteria.Nik ? families.Where(f => byNik.Contains(f.Id)) : families.Where(f => f.NoKk == value);
        }
        foreach (var filter in criteria.Filters)
        {
            switch (filter.Attribute)
            {
                case SearchCriteria.Location:
                    if (!scope.IsRegencyWide && scope.Families.Count == 0 && !filter.Texts.Any(scope.AggregatesTouch) && !filter.Texts.Any(Touches(scope)))
                    {
                        return (null, new(DciCodes.FilterInvalid, "location lies outside this client's scope."));
                    }
                    families = families.Where(new AccessScope(filter.Texts, [], null).VillageFilter<Family>(f => f.KodeDesa));
                    break;
                case SearchCriteria.Program:
                    {
                        var codes = filter.Texts;
                        var programIds = await db.Programs.AsNoTracking().Where(p => codes.Contains(p.Code)).Select(p => p.Id).ToListAsync(cancellationToken);
                        if (programIds.Count == 0)
                        {
                            return (null, new(DciCodes.FilterInvalid, "program: no program has this code."));
                        }
                        families = families.Where(f => db.Enrollments.Any(e => e.FamilyId == f.Id && programIds.Contains(e.ProgramId) && e.Status == ProgramTerms.Enrolled));
                        break;
                    }
                default:
                    families = families.Where(Compare(NumberOf(filter.Attribute, run), filter));
                    break;
            }
        }
        return (families, null);
    }

    private static Func<string, bool> Touches(AccessScope scope) =>
        code => scope.Regions is { } regions && regions.Any(r => code.StartsWith(r, StringComparison.Ordinal) || r.StartsWith(code, StringComparison.Ordinal));

    /// <summary>The numeric attribute as one SQL expression (a scalar subquery for the run's desil and the family size).</summary>
    private Expression<Func<Family, int?>> NumberOf(string attribute, LatestRun? run)
    {
        var runId = run?.Id ?? -1;
        return attribute switch
        {
            SearchCriteria.PovertyScore => f => db.Set<RunDecile>().Where(r => r.RunId == runId && r.FamilyId == f.Id).Select(r => r.Desil).FirstOrDefault(),
            SearchCriteria.DesilNasional => f => f.DesilNasional,
            SearchCriteria.GroupSize => f => f.Persons.Count(p => p.StatusHidup == LifeStatus.Hidup),
            _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, "not a numeric attribute"),
        };
    }

    private static Expression<Func<Family, bool>> Compare(Expression<Func<Family, int?>> selector, SearchCriteria.Filter filter)
    {
        var body = selector.Body;
        Expression Value(int n) => Expression.Constant((int?)n, typeof(int?));
        Expression test = filter.Operator switch
        {
            "eq" => Expression.Equal(body, Value(filter.Numbers[0])),
            "lt" => Expression.LessThan(body, Value(filter.Numbers[0])),
            "le" => Expression.LessThanOrEqual(body, Value(filter.Numbers[0])),
            "gt" => Expression.GreaterThan(body, Value(filter.Numbers[0])),
            "ge" => Expression.GreaterThanOrEqual(body, Value(filter.Numbers[0])),
            _ => Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(int?)],
                Expression.Constant(filter.Numbers.Select(n => (int?)n).ToArray()), body),
        };
        return Expression.Lambda<Func<Family, bool>>(test, selector.Parameters);
    }

    private sealed record Page(IReadOnlyList<long> Ids, int Total);

    /// <summary>
    /// The family of one NIK or NO_KK and what its record shows, in one query: the match, only the columns the record
    /// shows of the family and of its living members, and the desil of the latest run (its id a parameter, read before);
    /// then the current programs of the one or two families found, and the desa and kecamatan names from memory
    /// (<see cref="RegionNames"/>). The search by identifier is the one a hospital or a payment system runs per person,
    /// so the statement is kept small: SQLite spent most of a search preparing the earlier one of ~80 columns and six
    /// subqueries. NIK and NO_KK are unique: at most one family, so the members side by side stay a few rows.
    /// </summary>
    private async Task<(List<object> Records, int Total)> IdentifiedAsync(IQueryable<Family> families, SearchCriteria criteria, DciDisclosure disclosure,
        Lazy<Task<LatestRun?>> latestRun, CancellationToken cancellationToken)
    {
        var run = criteria.Members ? null : await latestRun.Value;
        var runId = run?.Id ?? -1;
        // The identifier and the caller's scope decide which families (a small query whose shape varies with the scope);
        // their record is then one compiled query of a fixed shape: EF's translation of the large projection (the
        // expression tree's cache key and parameter extraction) was the largest part of a search's own CPU.
        var ids = await families.Select(f => f.Id).Take(2).ToListAsync(cancellationToken);
        var found = new List<FoundFamily>(ids.Count);
        if (ids.Count > 0)
        {
            await foreach (var family in _recordQuery.For(db)(db, ids[0], ids[^1], runId))
            {
                found.Add(family);
            }
            found.Sort((a, b) => ids.IndexOf(a.Family.Id).CompareTo(ids.IndexOf(b.Family.Id)));
        }
        if (criteria.PageNumber > 1 || found.Count == 0)
        {
            return ([], found.Count);
        }
        if (criteria.Members)
        {
            var nik = criteria.ById!.Value;
            return ([.. found.SelectMany(x => x.Persons).Where(p => p.Nik == nik && p.IsAlive).Select(p => (object)GroupRecords.Member(p, disclosure))], found.Count);
        }
        // The programs in a second, indexed read of at most two families: inside the one query above, EF joins them as
        // a derived table (every enrolled row joined with its program) that SQLite materialises for each search.
        var familyIds = found.Select(x => x.Family.Id).ToList();
        var programs = (await db.Enrollments.AsNoTracking()
                .Where(e => familyIds.Contains(e.FamilyId) && e.Status == ProgramTerms.Enrolled)
                .Join(db.Programs, e => e.ProgramId, p => p.Id, (e, p) => new { e.FamilyId, p.Code })
                .ToListAsync(cancellationToken))
            .ToLookup(x => x.FamilyId, x => x.Code);
        var records = new List<object>(found.Count);
        foreach (var x in found)
        {
            x.Family.Persons = x.Persons;
            var score = x.Desil is { } desil && run is not null ? new GroupRecords.Score(desil, run.Id, run.DecileModel) : null;
            var village = x.Family.KodeDesa;
            var place = new GroupRecords.Place(await regionNames.NameAsync(db, village, cancellationToken),
                village.Length >= 8 ? await regionNames.NameAsync(db, village[..8], cancellationToken) : null);
            records.Add(GroupRecords.Group(x.Family, score, place, [.. programs[x.Family.Id].Distinct().Order(StringComparer.Ordinal)], disclosure));
        }
        return (records, found.Count);
    }

    private async Task<Page> PageAsync(IQueryable<Family> families, SearchCriteria criteria, LatestRun? run, CancellationToken cancellationToken)
    {
        var total = await families.CountAsync(cancellationToken);
        IOrderedQueryable<Family>? ordered = null;
        foreach (var sort in criteria.Sorts)
        {
            ordered = sort.Attribute switch
            {
                SearchCriteria.Location => Order(ordered, families, f => f.KodeDesa, sort.Descending),
                SearchCriteria.LastUpdated => Order(ordered, families, f => f.UpdatedAt, sort.Descending),
                _ => Order(ordered, families, NumberOf(sort.Attribute, run), sort.Descending),
            };
        }
        ordered = ordered is null ? families.OrderBy(f => f.Id) : ordered.ThenBy(f => f.Id);
        var ids = await ordered.Skip((criteria.PageNumber - 1) * criteria.PageSize).Take(criteria.PageSize).Select(f => f.Id).ToListAsync(cancellationToken);
        return new Page(ids, total);
    }

    private static IOrderedQueryable<Family> Order<TKey>(IOrderedQueryable<Family>? ordered, IQueryable<Family> families, Expression<Func<Family, TKey>> key, bool descending) =>
        ordered is null
            ? descending ? families.OrderByDescending(key) : families.OrderBy(key)
            : descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);

    internal async Task<List<object>> RecordsAsync(IReadOnlyList<long> ids, SearchCriteria criteria, LatestRun? run, DciDisclosure disclosure, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var families = await db.Families.AsNoTracking().Include(f => f.Persons).Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        if (criteria.Members)
        {
            var nik = criteria.ById!.Value;
            return [.. families.Values.SelectMany(f => f.Persons).Where(p => p.Nik == nik && p.IsAlive).Select(p => (object)GroupRecords.Member(p, disclosure))];
        }
        var runId = run?.Id ?? -1;
        var deciles = run is null ? [] : await db.Set<RunDecile>().AsNoTracking().Where(r => r.RunId == runId && ids.Contains(r.FamilyId) && r.Desil != null)
            .ToDictionaryAsync(r => r.FamilyId, r => r.Desil!.Value, cancellationToken);
        var programs = (await db.Enrollments.AsNoTracking().Where(e => ids.Contains(e.FamilyId) && e.Status == ProgramTerms.Enrolled)
                .Join(db.Programs, e => e.ProgramId, p => p.Id, (e, p) => new { e.FamilyId, p.Code }).ToListAsync(cancellationToken))
            .GroupBy(x => x.FamilyId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(x => x.Code).Distinct().Order(StringComparer.Ordinal)]);
        var villages = families.Values.Select(f => f.KodeDesa).Distinct().ToList();
        var districts = villages.Where(v => v.Length >= 8).Select(v => v[..8]).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().Where(r => villages.Contains(r.Code) || districts.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        return [.. ids.Where(families.ContainsKey).Select(id =>
        {
            var family = families[id];
            var score = deciles.TryGetValue(id, out var desil) ? new GroupRecords.Score(desil, run!.Id, run.DecileModel) : null;
            var place = new GroupRecords.Place(names.GetValueOrDefault(family.KodeDesa), family.KodeDesa.Length >= 8 ? names.GetValueOrDefault(family.KodeDesa[..8]) : null);
            return (object)GroupRecords.Group(family, score, place, programs.GetValueOrDefault(id) ?? [], disclosure);
        })];
    }

    private DciResponse<DciSearchResponse> Reply(string receiver, string status, SearchCriteria.Rejection? rejection,
        int total, int completed, DciSearchResponse? message, DateTimeOffset now) =>
        new(new DciCallbackHeader(DciOptions.Version, NewId(), Stamp(now), CallbackAction, status, rejection?.Code, rejection?.Message,
            total, completed, options.SenderId, receiver), message);

    private static Outcome Bad(string message) => new(null, DciErrorResponse.Of(DciCodes.RequestBad, message), "permintaan-buruk");

    private static string NewId() => Guid.NewGuid().ToString("N");

    public static string Stamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
