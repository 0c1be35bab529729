using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Tuntas.Audit;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.Dci.DciClient;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests.Dci;

/// <summary>
/// DCI Social Registry API v1.0.0 sync search (docs/dci.md): every request these tests send and every answer they get is
/// checked against the standard's published schemas (<see cref="DciSchemas"/>).
/// </summary>
public sealed class DciSearchTests
{
    private static readonly DateOnly _born = new(1980, 1, 2);

    private static async Task<Family> SeedAsync(TuntasWebFactory app, string village, int members, int desilNasional)
    {
        var people = Enumerable.Range(0, members).Select(i => new SeededMember(i == 0 ? "Kepala " + village : "Anak " + i, 1 + (i % 2), _born.AddYears(i == 0 ? 0 : 20 + i), i == 0 ? 1 : 4)).ToArray();
        var family = await app.SeedFamilyAsync(village, people);
        await using var db = app.Database.CreateDb();
        await db.Families.Where(f => f.Id == family.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.DesilNasional, desilNasional));
        return family;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_search_by_nik_answers_the_family_as_a_group_with_its_members_and_is_audited_without_the_nik(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await SeedAsync(app, Keden, 3, 2);
        var nik = family.Persons[1].Nik;
        var http = await ConnectAsync(app, Roles.Administrator);

        var body = await SearchAsync(http, Message(ById("NIK", nik)));

        Assert.Equal("succ", body.GetProperty("header").GetProperty("status").GetString());
        Assert.Equal("on-search", body.GetProperty("header").GetProperty("action").GetString());
        var result = Result(body);
        Assert.Equal("ref-1", result.GetProperty("reference_id").GetString());
        Assert.Equal(1, result.GetProperty("pagination").GetProperty("total_count").GetInt32());
        var group = Assert.Single(Records(body).EnumerateArray());
        Assert.Equal("Group", group.GetProperty("@type").GetString());
        Assert.Equal(family.NoKk, group.GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());
        Assert.Equal("NO_KK", group.GetProperty("group_identifier")[0].GetProperty("identifier_type").GetString());
        Assert.Equal(3, group.GetProperty("group_size").GetInt32());
        Assert.Equal(3, group.GetProperty("member_list").GetArrayLength());
        Assert.Equal("head", group.GetProperty("group_head_info").GetProperty("relationship_to_head").GetString());
        Assert.Contains(group.GetProperty("member_list").EnumerateArray(), m => m.GetProperty("member_identifier")[0].GetProperty("identifier_value").GetString() == nik);
        Assert.Contains(group.GetProperty("additional_attributes").EnumerateArray(), a => a.GetProperty("name").GetString() == "desil_nasional" && a.GetProperty("value").GetInt32() == 2);

        // The member form of the same search: that person alone.
        var member = Assert.Single(Records(await SearchAsync(http, Message(ById("NIK", nik, "Member")))).EnumerateArray());
        Assert.Equal(family.Persons[1].Nama, member.GetProperty("demographic_info").GetProperty("name").GetProperty("given_name").GetString());

        await using var db = app.Database.CreateDb();
        var reads = await db.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.ViewPersonalData && e.Actor.StartsWith("api:dci-" + Roles.Administrator + "#")).ToListAsync();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, e => Assert.Contains("DCI idtype-value NIK: 1 rekaman dari 1", e.Detail, StringComparison.Ordinal));
        Assert.DoesNotContain(await db.AuditLog.AsNoTracking().Select(e => e.Detail ?? "").ToListAsync(), d => d.Contains(nik, StringComparison.Ordinal));
        Assert.Contains(await db.AuditLog.AsNoTracking().ToListAsync(), e => e.Action == AuditActions.SignIn && e.Actor.StartsWith("api:dci-" + Roles.Administrator + "#", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_a_signing_key_the_sync_answer_is_signed_and_verifies_with_the_public_key(string provider)
    {
        var (regencyKey, keyFile) = await RegencyKeyAsync();
        await using var app = await CreateAsync(provider, new Dictionary<string, string> { ["Dci:SigningKeyFile"] = keyFile, ["Dci:SigningKeyId"] = "k2" });
        var family = await SeedAsync(app, Keden, 2, 3);
        var http = await ConnectAsync(app, Roles.Administrator);

        var response = await http.PostAsJsonAsync(SyncSearch, Message(ById("NIK", family.Persons[0].Nik)));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(raw).RootElement;
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchResponse, body);
        Assert.Single(Records(body).EnumerateArray());
        AssertSignedBy(regencyKey, raw, "tuntas-33.14|k2|ed25519");
        // Another key does not verify it: the signature is over this answer, by this key.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertSignedBy(new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom()), raw, "tuntas-33.14|k2|ed25519"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_expression_filters_by_location_size_and_desil_then_sorts_and_pages(string provider)
    {
        await using var app = await CreateAsync(provider);
        var small = await SeedAsync(app, Keden, 2, 1);
        var large = await SeedAsync(app, Keden, 5, 2);
        var middle = await SeedAsync(app, Trobayan, 3, 1);
        await SeedAsync(app, Keden, 4, 7);
        await SeedAsync(app, Keden, 1, 1);
        var http = await ConnectAsync(app, Roles.TkpkdCoordinator);

        JsonArray And() =>
        [
            Condition("location", "$eq", "33.14.01"),
            Condition("desil_nasional", "$le", 2),
            Condition("group_size", "$ge", 2),
        ];
        JsonArray Sort() => [new JsonObject { ["attribute_name"] = "group_size", ["sort_order"] = "desc" }];
        var first = await SearchAsync(http, Message(Expression(And(), Sort(), pageSize: 2, pageNumber: 1)));
        Assert.Equal(3, Result(first).GetProperty("pagination").GetProperty("total_count").GetInt32());
        Assert.Equal([NoKkOf(large), NoKkOf(middle)], Records(first).EnumerateArray().Select(r => r.GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString()!).ToArray());
        var second = await SearchAsync(http, Message(Expression(And(), Sort(), pageSize: 2, pageNumber: 2)));
        Assert.Equal(NoKkOf(small), Assert.Single(Records(second).EnumerateArray()).GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());

        // The same search in the standard's predicate form, one village only. Its AttributeValue is a oneOf in which a
        // whole number is both "integer" and "number" (so never valid) and a list is nothing: numbers go as strings, "in" as "1,2".
        var predicate = Expression([], pageSize: 10);
        predicate["query_type"] = "predicate";
        predicate["query"] = new JsonArray(
            new JsonObject
            {
                ["seq_num"] = 1,
                ["expression1"] = new JsonObject { ["attribute_name"] = "location", ["operator"] = "eq", ["attribute_value"] = Keden },
                ["condition"] = "and",
                ["expression2"] = new JsonObject { ["attribute_name"] = "group_size", ["operator"] = "gt", ["attribute_value"] = "2" },
            },
            new JsonObject { ["seq_num"] = 2, ["expression1"] = new JsonObject { ["attribute_name"] = "desil_nasional", ["operator"] = "in", ["attribute_value"] = "1,2" } });
        var byPredicate = await SearchAsync(http, Message(predicate));
        Assert.Equal(NoKkOf(large), Assert.Single(Records(byPredicate).EnumerateArray()).GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());
    }

    private static string NoKkOf(Family family) => family.NoKk;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Poverty_score_is_the_desil_of_the_latest_targeting_run_filtered_and_sorted_in_sql(string provider)
    {
        await using var app = await CreateAsync(provider);
        var families = new List<Family>();
        for (var i = 0; i < 12; i++)
        {
            families.Add(await SeedAsync(app, i % 2 == 0 ? Keden : Trobayan, 1 + (i % 5), 1 + (i % 9)));
        }
        // A run as RunTargeting stores it (its bulk path needs a calibration sample a test registry lacks): an older run
        // with other deciles, then the latest, whose desil is what counts; one family left without a desil.
        await using var db = app.Database.CreateDb();
        long runId = 0;
        foreach (var offset in new[] { 5, 0 })
        {
            var run = new Targeting.TargetingRun
            {
                CreatedAt = DateTime.UtcNow,
                CreatedBy = "uji",
                AsOf = new DateOnly(2026, 11, 23),
                InputHash = "h",
                RegistryHash = "r",
                FamilyCount = families.Count,
                DecileModel = "pmt-uji",
                Inputs = "{}",
                Summary = "{}",
            };
            db.TargetingRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
            foreach (var (family, i) in families.Select((f, i) => (f, i)))
            {
                int? desil = i == 11 ? null : 1 + ((i * 7 + offset) % 10);
                await db.Database.ExecuteSqlAsync($"INSERT INTO targeting_results (run_id, family_id, kode_desa, desil, program_eligible, program_undetermined, data_hash) VALUES ({run.Id}, {family.Id}, {family.KodeDesa}, {desil}, '', '', 0)");
            }
        }
        var deciles = await db.Set<Tuntas.Dci.RunDecile>().AsNoTracking().Where(r => r.RunId == runId && r.Desil != null).ToListAsync();
        Assert.Equal(11, deciles.Count);
        var http = await ConnectAsync(app, Roles.Administrator);

        var sorted = await SearchAsync(http, Message(Expression([Condition("poverty_score", "$le", 10)],
            [new JsonObject { ["attribute_name"] = "poverty_score", ["sort_order"] = "asc" }], pageSize: 50)));
        var scores = Records(sorted).EnumerateArray().Select(r => r.GetProperty("poverty_score").GetInt32()).ToList();
        Assert.Equal(deciles.Count, scores.Count);
        Assert.Equal(scores.Order(), scores);
        Assert.All(Records(sorted).EnumerateArray(), r => Assert.StartsWith("tuntas-desil:", r.GetProperty("poverty_score_type").GetString(), StringComparison.Ordinal));
        var lowest = deciles.Min(d => d.Desil!.Value);
        var exact = await SearchAsync(http, Message(Expression([Condition("poverty_score", "$eq", lowest)], pageSize: 50)));
        Assert.Equal(deciles.Count(d => d.Desil == lowest), Result(exact).GetProperty("pagination").GetProperty("total_count").GetInt32());

        // The search by identifier reads its record in one query of its own: the same record as the expression's, desil,
        // run and model included, for a family with a desil in the latest run and for the one without.
        foreach (var family in new[] { families[0], families[11] })
        {
            var byKk = Assert.Single(Records(await SearchAsync(http, Message(ById("NO_KK", family.NoKk)))).EnumerateArray());
            var listed = Records(await SearchAsync(http, Message(Expression([Condition("desil_nasional", "$ge", 1)], pageSize: 50)))).EnumerateArray()
                .Single(r => r.GetProperty("@id").GetString() == byKk.GetProperty("@id").GetString());
            Assert.Equal(listed.GetRawText(), byKk.GetRawText());
        }
        Assert.False(Assert.Single(Records(await SearchAsync(http, Message(ById("NO_KK", families[11].NoKk)))).EnumerateArray()).TryGetProperty("poverty_score", out _));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_program_filter_finds_the_families_enrolled_now(string provider)
    {
        await using var app = await CreateAsync(provider);
        var enrolled = await SeedAsync(app, Keden, 2, 1);
        await SeedAsync(app, Keden, 2, 1);
        await using (var db = app.Database.CreateDb())
        {
            var program = await db.Programs.OrderBy(p => p.Id).FirstAsync();
            db.Enrollments.Add(new Programs.Enrollment
            {
                ProgramId = program.Id,
                FamilyId = enrolled.Id,
                Status = Programs.ProgramTerms.Enrolled,
                StartedOn = new DateOnly(2025, 1, 1),
                CreatedBy = "uji",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            var http = await ConnectAsync(app, Roles.Administrator);
            var body = await SearchAsync(http, Message(Expression([Condition("program", "$in", new JsonArray(program.Code))])));
            var group = Assert.Single(Records(body).EnumerateArray());
            Assert.Equal(enrolled.NoKk, group.GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());
            Assert.Contains(group.GetProperty("additional_attributes").EnumerateArray(), a => a.GetProperty("name").GetString() == "program" && a.GetProperty("value").GetString() == program.Code);
            var byNik = Assert.Single(Records(await SearchAsync(http, Message(ById("NIK", enrolled.Persons[0].Nik)))).EnumerateArray());
            Assert.Equal(group.GetRawText(), byNik.GetRawText());
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_village_client_sees_its_village_only_and_a_family_elsewhere_is_answered_as_unknown(string provider)
    {
        await using var app = await CreateAsync(provider);
        var own = await SeedAsync(app, Keden, 2, 1);
        var other = await SeedAsync(app, Trobayan, 2, 1);
        var http = await ConnectAsync(app, Roles.VillageOperator, Keden);

        var found = await SearchAsync(http, Message(ById("NO_KK", own.NoKk)));
        Assert.Single(Records(found).EnumerateArray());
        var elsewhere = await SearchAsync(http, Message(ById("NO_KK", other.NoKk), ById("NO_KK", "3314010101990001")));
        foreach (var i in new[] { 0, 1 })
        {
            Assert.Equal("succ", Result(elsewhere, i).GetProperty("status").GetString());
            Assert.Equal(0, Records(elsewhere, i).GetArrayLength());
            Assert.Equal(0, Result(elsewhere, i).GetProperty("pagination").GetProperty("total_count").GetInt32());
        }
        var all = await SearchAsync(http, Message(Expression([Condition("group_size", "$ge", 1)])));
        Assert.Equal(own.NoKk, Assert.Single(Records(all).EnumerateArray()).GetProperty("group_identifier")[0].GetProperty("identifier_value").GetString());
        var outside = await SearchAsync(http, Message(Expression([Condition("location", "$eq", Trobayan)])));
        Assert.Equal("rjct", Result(outside).GetProperty("status").GetString());
        Assert.Equal("rjct.filter.invalid", Result(outside).GetProperty("status_reason_code").GetString());
        Assert.False(Result(outside).TryGetProperty("data", out _));

        await using var db = app.Database.CreateDb();
        Assert.Contains(await db.AuditLog.AsNoTracking().ToListAsync(), e => e.Action == AuditActions.ViewPersonalData && (e.Detail ?? "").Contains("ditolak rjct.filter.invalid", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_that_may_not_see_identifiers_gets_them_masked_and_no_disability(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Warga Difabel", 2, _born, 1, Disabilitas: 3));
        var http = await ConnectAsync(app, Roles.AgencyOfficer);
        var body = await SearchAsync(http, Message(ById("NO_KK", family.NoKk)));
        var group = Assert.Single(Records(body).EnumerateArray());
        var text = group.GetRawText();
        Assert.DoesNotContain(family.NoKk, text, StringComparison.Ordinal);
        Assert.DoesNotContain(family.Persons[0].Nik, text, StringComparison.Ordinal);
        Assert.Equal("NO_KK_MASKED", group.GetProperty("group_identifier")[0].GetProperty("identifier_type").GetString());
        Assert.False(group.GetProperty("group_head_info").TryGetProperty("is_disabled", out _));

        var admin = await ConnectAsync(app, Roles.Administrator);
        var full = Assert.Single(Records(await SearchAsync(admin, Message(ById("NO_KK", family.NoKk)))).EnumerateArray());
        Assert.True(full.GetProperty("group_head_info").GetProperty("is_disabled").GetBoolean());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_criteria_are_rejected_one_by_one_with_the_standard_codes(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await SeedAsync(app, Keden, 2, 1);
        var http = await ConnectAsync(app, Roles.Administrator);
        var unknownType = ById("NIK", family.Persons[0].Nik);
        unknownType["query_type"] = "sql";
        var message = Message(
            unknownType,
            Expression([Condition("group_size", "$ge", 1)], pageSize: 1000),
            Expression([Condition("penghasilan", "$lt", 100)]),
            Expression([Condition("group_size", "$ge", 1)], sort: [new JsonObject { ["attribute_name"] = "nama", ["sort_order"] = "asc" }]),
            ById("PASPOR", "1234567890123456"),
            ById("NO_KK", family.NoKk));
        // An unknown query_type is outside the standard's enum: sent raw, as a client with a bug would.
        var response = await http.PostAsJsonAsync(SyncSearch, message);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchResponse, body);
        string[] expected = ["rjct.search_criteria.invalid", "rjct.pagination.invalid", "rjct.filter.invalid", "rjct.sort.invalid", "rjct.search_criteria.invalid"];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal("rjct", Result(body, i).GetProperty("status").GetString());
            Assert.Equal(expected[i], Result(body, i).GetProperty("status_reason_code").GetString());
        }
        Assert.Equal("succ", Result(body, 5).GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("header").GetProperty("completed_count").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bad_header_rejects_the_whole_message_and_a_non_message_is_a_bad_request(string provider)
    {
        await using var app = await CreateAsync(provider);
        var http = await ConnectAsync(app, Roles.Administrator);
        var wrongAction = Message(ById("NO_KK", "3314010101990001"));
        wrongAction["header"]!["action"] = "subscribe";
        var old = Message(ById("NO_KK", "3314010101990001"));
        old["header"]!["message_ts"] = "2020-01-01T00:00:00Z";
        var miscounted = Message(ById("NO_KK", "3314010101990001"));
        miscounted["header"]!["total_count"] = 3;
        var tooMany = Message([.. Enumerable.Range(0, 11).Select(_ => ById("NO_KK", "3314010101990001"))]);
        foreach (var (message, code) in new[] { (wrongAction, "rjct.action.invalid"), (old, "rjct.message_ts.invalid"), (miscounted, "rjct.total_count.invalid"), (tooMany, "rjct.total_count.limit_exceeded") })
        {
            var response = await http.PostAsJsonAsync(SyncSearch, message);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchResponse, body);
            Assert.Equal("rjct", body.GetProperty("header").GetProperty("status").GetString());
            Assert.Equal(code, body.GetProperty("header").GetProperty("status_reason_code").GetString());
        }
        foreach (var raw in new[] { "{", "[]", "{\"header\": {}}" })
        {
            var response = await http.PostAsync(SyncSearch, new StringContent(raw, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.HttpError, body);
            Assert.Equal("err.request.bad", body.GetProperty("errors")[0].GetProperty("code").GetString());
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_a_valid_token_the_search_is_refused_with_the_standard_error_and_audited(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await SeedAsync(app, Keden, 2, 1);
        var (id, key) = await AddClientAsync(app, Roles.Administrator);
        var message = Message(ById("NO_KK", family.NoKk));

        var anonymous = app.CreateClient();
        var withKey = app.CreateClient();
        withKey.DefaultRequestHeaders.Add(Security.ApiKeyHandler.HeaderName, key);
        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcGk6MSIsImlzcyI6InR1bnRhcyIsImF1ZCI6InR1bnRhcy1kY2kiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlLWJ1a2FuLWRhcmkta3VuY2ktdHVudGFz");
        foreach (var http in new[] { anonymous, withKey, forged })
        {
            var response = await http.PostAsJsonAsync(SyncSearch, message);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(family.NoKk, text, StringComparison.Ordinal);
            var body = JsonDocument.Parse(text).RootElement;
            DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.HttpError, body);
            Assert.Equal("err.request.unauthorized", body.GetProperty("errors")[0].GetProperty("code").GetString());
        }

        // A wrong secret gets no token; a disabled client's token stops working at once.
        var wrong = await RequestTokenAsync(anonymous, id.ToString(CultureInfo.InvariantCulture), key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_client", JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        var good = JsonDocument.Parse(await (await RequestTokenAsync(anonymous, id.ToString(CultureInfo.InvariantCulture), key)).Content.ReadAsStringAsync()).RootElement;
        var holder = app.CreateClient();
        holder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", good.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await holder.PostAsJsonAsync(SyncSearch, message)).StatusCode);
        await using (var db = app.Database.CreateDb())
        {
            await db.ApiClients.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Disabled, true));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await holder.PostAsJsonAsync(SyncSearch, message)).StatusCode);

        await using var check = app.Database.CreateDb();
        var entries = await check.AuditLog.AsNoTracking().ToListAsync();
        Assert.Equal(4, entries.Count(e => e.Action == AuditActions.AccessDenied && e.SubjectId == SyncSearch));
        Assert.Contains(entries, e => e.Action == AuditActions.SignInFailed && e.Actor == "api:" + id.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains(key, StringComparison.Ordinal));
    }
}
