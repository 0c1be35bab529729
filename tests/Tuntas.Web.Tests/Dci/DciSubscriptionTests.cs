using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Tuntas.Access;
using Tuntas.Audit;
using Tuntas.Dci.Signatures;
using Tuntas.Dci.Subscriptions;
using Tuntas.Registry;
using Tuntas.Testing;
using Tuntas.Users;
using static Tuntas.Web.Tests.Dci.DciClient;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests.Dci;

/// <summary>
/// DCI subscriptions and notify (registry core API v1.0.0; docs/dci.md), end to end: a village operator's system
/// subscribes to changes in its kecamatan, the registry writer changes families inside and outside its scope, and the
/// notify messages reach the subscriber's endpoint — a real HTTP listener — in order, after a refused first try,
/// signed with the regency's key; the back office's API shows the delivery state. Every message is checked against the
/// standard's published schemas; message signatures are checked against the client's registered key.
/// </summary>
public sealed class DciSubscriptionTests
{
    private const string Subscribe = "/api/dci/registry/subscribe";
    private const string Unsubscribe = "/api/dci/registry/unsubscribe";
    private const string AckSchema = "#/components/responses/Response/content/application~1json/schema";
    private const string SubscribeSchema = "#/paths/~1registry~1subscribe/post/requestBody/content/application~1json/schema";
    private const string OnSubscribeSchema = "#/paths/~1registry~1on-subscribe/post/requestBody/content/application~1json/schema";
    private const string NotifySchema = "#/paths/~1registry~1notify/post/requestBody/content/application~1json/schema";
    private const string UnsubscribeSchema = "#/paths/~1registry~1unsubscribe/post/requestBody/content/application~1json/schema";
    private const string OnUnsubscribeSchema = "#/paths/~1registry~1on-unsubscribe/post/requestBody/content/application~1json/schema";

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static JsonObject Header(string action, int count, string? callback) => new()
    {
        ["version"] = "1.0.0",
        ["message_id"] = Guid.NewGuid().ToString(),
        ["message_ts"] = Now(),
        ["action"] = action,
        ["sender_id"] = "sid-keden",
        ["sender_uri"] = callback,
        ["receiver_id"] = "tuntas-33.14",
        ["total_count"] = count,
        ["is_msg_encrypted"] = false,
    };

    /// <summary>A subscription to changes of families whose village lies in <paramref name="location"/>.</summary>
    private static JsonObject Item(string reference, string location, string eventType = "UPDATE") => new()
    {
        ["reference_id"] = reference,
        ["timestamp"] = Now(),
        ["subscribe_criteria"] = new JsonObject
        {
            ["version"] = "1.0.0",
            ["reg_type"] = "ns:tuntas:RegistryType:SocialRegistry",
            ["reg_event_type"] = eventType,
            ["filter_type"] = "predicate",
            ["filter"] = new JsonArray(new JsonObject
            {
                ["expression1"] = new JsonObject { ["attribute_name"] = "location", ["operator"] = "eq", ["attribute_value"] = location },
            }),
            ["notify_record_type"] = "Group",
        },
    };

    private static JsonObject SubscribeMessage(string callback, params JsonObject[] items) => new()
    {
        ["header"] = Header("subscribe", items.Length, callback),
        ["message"] = new JsonObject { ["transaction_id"] = "sub-" + Guid.NewGuid().ToString("N")[..10], ["subscribe_request"] = new JsonArray([.. items]) },
    };

    private static JsonObject UnsubscribeMessage(string callback, params string[] codes) => new()
    {
        ["header"] = Header("unsubscribe", codes.Length, callback),
        ["message"] = new JsonObject
        {
            ["transaction_id"] = "unsub-" + Guid.NewGuid().ToString("N")[..10],
            ["timestamp"] = Now(),
            ["subscription_codes"] = new JsonArray([.. codes.Select(c => (JsonNode)c)]),
        },
    };

    private static async Task<string> PostAsync(HttpClient http, string path, string schema, JsonObject message)
    {
        var request = JsonNode.Parse(message.ToJsonString())!;
        if (path == Unsubscribe)
        {
            // The published UnSubscribeRequest requires "sunscription_codes" (sic) beside its property subscription_codes:
            // the message is checked with that misspelt copy added, and sent as a client would write it.
            request["message"]!["sunscription_codes"] = request["message"]!["subscription_codes"]!.DeepClone();
        }
        DciSchemas.AssertValid(DciSchemas.Core, schema, JsonSerializer.SerializeToElement(request));
        var response = await http.PostAsJsonAsync(path, message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        var ack = JsonDocument.Parse(text).RootElement;
        DciSchemas.AssertValid(DciSchemas.Core, AckSchema, ack);
        return ack.GetProperty("message").GetProperty("correlation_id").GetString()!;
    }

    private static async Task<HttpClient> TokenAsync(TuntasWebFactory app, long id, string key)
    {
        var http = app.CreateClient();
        var response = await RequestTokenAsync(http, id.ToString(CultureInfo.InvariantCulture), key);
        response.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString());
        return http;
    }

    private static async Task ChangeAsync(TuntasWebFactory app, long familyId, string floor)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<RegistryWriter>();
        var outcome = await writer.WriteAsync(new RegistryWriter.FamilyEdit(familyId, null, [new RegistryWriter.SetField(null, "JENIS_LANTAI", floor)]),
            "petugas", ChangeSource.Editor, AccessScope.Regency, CancellationToken.None);
        Assert.Equal(RegistryWriter.Result.Written, outcome.Result);
    }

    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>The criteria's frequency (the standard's EventFrequency) on a subscription to <paramref name="location"/>.</summary>
    private static JsonObject Scheduled(string reference, string location, string cron, DateTimeOffset start, DateTimeOffset end)
    {
        var item = Item(reference, location);
        item["subscribe_criteria"]!["frequency"] = new JsonObject
        {
            ["start_time"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["end_time"] = end.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["frequency"] = cron,
        };
        return item;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_subscription_with_a_frequency_holds_its_changes_and_sends_them_together_on_the_schedule(string provider)
    {
        await using var listener = new DciListener();
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        await using var app = await CreateAsync(provider, new Dictionary<string, string> { ["Dci:Callbacks:dci-" + Roles.VillageOperator] = listener.Url }, clock);
        var first = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Satu", 1, new DateOnly(1980, 1, 2), 1));
        var second = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Dua", 2, new DateOnly(1982, 3, 4), 1));
        var (id, key) = await AddClientAsync(app, Roles.VillageOperator, Keden);
        var http = await TokenAsync(app, id, key);

        // Every day at 07:00:00 in the regency's time (WIB), in the standard's own seven-field form; and one that is no cron.
        var start = clock.Now.AddHours(-1);
        await PostAsync(http, Subscribe, SubscribeSchema, SubscribeMessage(listener.Url + "on-subscribe",
            Scheduled("ref-1", "33.14.01", "0 0 7 * * ? *", start, start.AddDays(7)), Scheduled("ref-2", "33.14", "tiap pagi", start, start.AddDays(7))));
        var (onSubscribe, _) = await listener.NextRawAsync("on-subscribe");
        DciSchemas.AssertValid(DciSchemas.Core, OnSubscribeSchema, onSubscribe);
        var results = onSubscribe.GetProperty("message").GetProperty("subscribe_response").EnumerateArray().ToList();
        Assert.Equal(["succ", "rjct"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("rjct.notify_details.invalid", results[1].GetProperty("status_reason_code").GetString());
        var code = results[0].GetProperty("subscriptions")[0].GetProperty("code").GetString()!;

        var wib = TimeSpan.FromHours(7);
        var local = clock.Now.ToOffset(wib);
        var seven = new DateTimeOffset(local.Date.AddHours(7), wib);
        var due = (seven > local ? seven : seven.AddDays(1)).UtcDateTime;

        await ChangeAsync(app, first.Id, "2");
        await ChangeAsync(app, second.Id, "3");

        // Queued, both held until 07:00 WIB; the back office shows the schedule and when they go out.
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", await app.AddApiClientAsync(Roles.Administrator));
        await using (var db = app.Database.CreateDb())
        {
            DciNotification[] rows;
            var polls = 0;
            do
            {
                await Task.Delay(100);
                rows = await db.Set<DciNotification>().AsNoTracking().OrderBy(n => n.Id).ToArrayAsync();
            }
            while (rows.Length < 2 && ++polls < 300);
            Assert.Equal([first.Id, second.Id], rows.Select(n => n.FamilyId));
            Assert.All(rows, n => Assert.Equal((DciNotificationStates.Pending, due), (n.State, n.NextAttemptAt)));
        }
        var line = JsonDocument.Parse(await admin.GetStringAsync("/api/dci-subscriptions")).RootElement.EnumerateArray().Single(l => l.GetProperty("code").GetString() == code);
        Assert.Equal("0 0 7 * * ? *", line.GetProperty("frequency").GetString());
        Assert.Equal("pending", line.GetProperty("delivery").GetString());
        Assert.Equal(due, line.GetProperty("nextAttemptAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(1, listener.Posts); // the on-subscribe alone: nothing was told before its time

        // 07:00 WIB: the two changes go out together, in the order they were made, in one notify.
        clock.Now = new DateTimeOffset(due, TimeSpan.Zero);
        app.Services.GetRequiredService<Tuntas.Dci.Async.DciQueueSignal>().Poke();
        var (notify, _) = await listener.NextRawAsync("notify");
        DciSchemas.AssertValid(DciSchemas.Core, NotifySchema, notify);
        Assert.Equal([$"urn:tuntas:keluarga:{first.Id}", $"urn:tuntas:keluarga:{second.Id}"],
            notify.GetProperty("message").GetProperty("notify_event").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("reg_records").GetProperty("@id").GetString()));

        // A change after it waits for the next day's 07:00.
        await ChangeAsync(app, first.Id, "4");
        await using (var db = app.Database.CreateDb())
        {
            // The listener may have the notify before the sender has marked the two delivered: wait for both.
            DciNotification[] pending;
            int delivered;
            var polls = 0;
            do
            {
                await Task.Delay(100);
                delivered = await db.Set<DciNotification>().CountAsync(n => n.State == DciNotificationStates.Delivered);
                pending = await db.Set<DciNotification>().AsNoTracking().Where(n => n.State == DciNotificationStates.Pending).ToArrayAsync();
            }
            while ((delivered < 2 || pending.Length != 1) && ++polls < 300);
            Assert.Equal(2, delivered);
            var third = Assert.Single(pending);
            Assert.Equal(first.Id, third.FamilyId);
            Assert.Equal(due.AddDays(1), third.NextAttemptAt);
        }
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_subscriber_is_notified_in_order_of_changes_in_its_scope_only_after_a_refused_try_and_signed_until_it_unsubscribes(string provider)
    {
        await using var listener = new DciListener(failFirst: 1, failPath: "/notify");
        var (regencyKey, keyFile) = await RegencyKeyAsync();
        await using var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Dci:Callbacks:dci-" + Roles.VillageOperator] = listener.Url,
            ["Dci:SigningKeyFile"] = keyFile,
            ["Dci:SigningKeyId"] = "k1",
        });
        var first = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Satu", 1, new DateOnly(1980, 1, 2), 1));
        var second = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Dua", 2, new DateOnly(1982, 3, 4), 1));
        var elsewhere = await app.SeedFamilyAsync(Trobayan, new SeededMember("Kepala Tiga", 1, new DateOnly(1979, 5, 6), 1));
        var (id, key) = await AddClientAsync(app, Roles.VillageOperator, Keden);
        var http = await TokenAsync(app, id, key);

        // Subscribe to the whole kecamatan: the operator's scope (Keden) narrows it. A second subscription, to new
        // families only, is told nothing of changes to existing ones.
        var correlation = await PostAsync(http, Subscribe, SubscribeSchema, SubscribeMessage(listener.Url + "on-subscribe",
            Item("ref-1", "33.14.01"), Item("ref-2", "33.14.01", "REGISTER")));
        var (onSubscribe, _) = await listener.NextRawAsync("on-subscribe");
        DciSchemas.AssertValid(DciSchemas.Core, OnSubscribeSchema, onSubscribe);
        Assert.Equal(correlation, onSubscribe.GetProperty("message").GetProperty("correlation_id").GetString());
        var results = onSubscribe.GetProperty("message").GetProperty("subscribe_response").EnumerateArray().ToList();
        Assert.Equal(["succ", "succ"], results.Select(r => r.GetProperty("status").GetString()));
        var code = results[0].GetProperty("subscriptions")[0].GetProperty("code").GetString()!;

        // Changes through the one registry writer: in scope (first, then second), and outside it.
        await ChangeAsync(app, elsewhere.Id, "2");
        await ChangeAsync(app, first.Id, "2");
        await ChangeAsync(app, second.Id, "3");

        // The first notify is refused (503): the back office sees it failing with its error and next try.
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", await app.AddApiClientAsync(Roles.Administrator));
        JsonElement line;
        var polls = 0;
        do
        {
            await Task.Delay(100);
            line = JsonDocument.Parse(await admin.GetStringAsync("/api/dci-subscriptions")).RootElement.EnumerateArray().Single(l => l.GetProperty("code").GetString() == code);
        }
        while (line.GetProperty("delivery").GetString() != "failing" && ++polls < 300);
        Assert.Equal("failing", line.GetProperty("delivery").GetString());
        Assert.Equal("HTTP 503", line.GetProperty("lastError").GetString());
        Assert.InRange(line.GetProperty("pending").GetInt32(), 1, 2);
        Assert.Equal(JsonValueKind.String, line.GetProperty("nextAttemptAt").ValueKind);

        // Tried again after its back-off: both families of Keden, in the order they changed, none of Trobayan.
        var (notify, raw) = await listener.NextRawAsync("notify");
        DciSchemas.AssertValid(DciSchemas.Core, NotifySchema, notify);
        Assert.Equal("notify", notify.GetProperty("header").GetProperty("action").GetString());
        var events = notify.GetProperty("message").GetProperty("notify_event").EnumerateArray().ToList();
        Assert.Equal([$"urn:tuntas:keluarga:{first.Id}", $"urn:tuntas:keluarga:{second.Id}"],
            events.Select(e => e.GetProperty("data").GetProperty("reg_records").GetProperty("@id").GetString()));
        Assert.All(events, e => Assert.StartsWith(code + "-", e.GetProperty("reference_id").GetString(), StringComparison.Ordinal));

        // Signed with the regency's key: the receiver checks it with the public key over the header and message as sent.
        AssertSignedBy(regencyKey, raw, "tuntas-33.14|k1|ed25519");

        await using (var db = app.Database.CreateDb())
        {
            DciNotification[] rows;
            do
            {
                rows = await db.Set<DciNotification>().AsNoTracking().OrderBy(n => n.Id).ToArrayAsync();
            }
            while (rows.Any(n => n.State != DciNotificationStates.Delivered) && await Task.Delay(100).ContinueWith(_ => true));
            Assert.Equal([first.Id, second.Id], rows.Select(n => n.FamilyId));
            Assert.All(rows, n => Assert.Equal(2, n.Attempts));
            var read = Assert.Single(await db.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.ViewPersonalData && e.Detail!.Contains(code)).ToListAsync());
            Assert.StartsWith("api:dci-" + Roles.VillageOperator + "#", read.Actor, StringComparison.Ordinal);
            Assert.DoesNotContain(first.Persons.First().Nik, read.Detail, StringComparison.Ordinal);
        }
        line = JsonDocument.Parse(await admin.GetStringAsync("/api/dci-subscriptions/" + line.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture))).RootElement;
        Assert.Equal("delivered", line.GetProperty("delivery").GetString());
        Assert.Equal(2, line.GetProperty("delivered").GetInt32());

        // Unsubscribed: told on on-unsubscribe; a later change is not queued (the other subscription wants new families only).
        await PostAsync(http, Unsubscribe, UnsubscribeSchema, UnsubscribeMessage(listener.Url + "on-unsubscribe", code));
        var (onUnsubscribe, _) = await listener.NextRawAsync("on-unsubscribe");
        DciSchemas.AssertValid(DciSchemas.Core, OnUnsubscribeSchema, onUnsubscribe);
        Assert.Equal("succ", onUnsubscribe.GetProperty("message").GetProperty("status").GetString());
        Assert.Equal("unsubscribe", onUnsubscribe.GetProperty("message").GetProperty("subscription_status")[0].GetProperty("status").GetString());
        await ChangeAsync(app, first.Id, "4");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var queued = await scope.ServiceProvider.GetRequiredService<QueueNotifications>().RunAsync(CancellationToken.None);
            Assert.Equal(0, queued.Queued);
        }
        File.Delete(keyFile);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bad_subscriptions_and_unsubscriptions_get_the_standards_codes_and_a_foreign_callback_is_refused(string provider)
    {
        await using var listener = new DciListener();
        await using var app = await CreateAsync(provider, new Dictionary<string, string>
        {
            ["Dci:Callbacks:dci-" + Roles.VillageOperator] = listener.Url,
            ["Dci:Callbacks:dci-" + Roles.TkpkdCoordinator] = listener.Url,
        });
        var (id, key) = await AddClientAsync(app, Roles.VillageOperator, Keden);
        var http = await TokenAsync(app, id, key);

        var foreign = await http.PostAsJsonAsync(Subscribe, SubscribeMessage("https://evil.example/dci/on-subscribe", Item("ref-1", "33.14.01")));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("err.sender_uri.invalid", JsonDocument.Parse(await foreign.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());

        await PostAsync(http, Subscribe, SubscribeSchema, SubscribeMessage(listener.Url + "on-subscribe",
            Item("ok", Keden), Item("again", Keden), Item("outside", "33.14.02"), Item("event", Keden, "BIRTH")));
        var (answer, _) = await listener.NextRawAsync("on-subscribe");
        DciSchemas.AssertValid(DciSchemas.Core, OnSubscribeSchema, answer);
        Assert.Equal(["succ", "rjct.event.already_subscribed", "rjct.notify_details.invalid", "rjct.notify_types.invalid"],
            answer.GetProperty("message").GetProperty("subscribe_response").EnumerateArray()
                .Select(r => r.TryGetProperty("status_reason_code", out var c) ? c.GetString() : r.GetProperty("status").GetString()));
        var code = answer.GetProperty("message").GetProperty("subscribe_response")[0].GetProperty("subscriptions")[0].GetProperty("code").GetString()!;

        // Another client cannot end it (answered as an unknown code), nor can anyone end a code that does not exist.
        var (otherId, otherKey) = await AddClientAsync(app, Roles.TkpkdCoordinator);
        var other = await TokenAsync(app, otherId, otherKey);
        foreach (var (client, codes) in new[] { (other, code), (http, "tidak-ada") })
        {
            await PostAsync(client, Unsubscribe, UnsubscribeSchema, UnsubscribeMessage(listener.Url + "on-unsubscribe", codes));
            var (refused, _) = await listener.NextRawAsync("on-unsubscribe");
            DciSchemas.AssertValid(DciSchemas.Core, OnUnsubscribeSchema, refused);
            Assert.Equal("rjct.subscription_code.invalid", refused.GetProperty("message").GetProperty("status_reason_code").GetString());
        }
        // The back office: the subscription with its delivery state, and a signing key registered for the client.
        var admin = await app.SignInAsAdministratorAsync();
        var page = await ParseAsync(await admin.GetStringAsync("/Pengguna/Dci"));
        Assert.Contains(code, page.QuerySelector("#langganan-dci")!.TextContent, StringComparison.Ordinal);
        var publicKey = Convert.ToBase64String(new Ed25519PrivateKeyParameters(new SecureRandom()).GeneratePublicKey().GetEncoded());
        var saved = await PostFormAsync(admin, "/Pengguna/Dci?handler=Key", new()
        {
            ["clientId"] = id.ToString(CultureInfo.InvariantCulture),
            ["keyId"] = "sid-1",
            ["publicKey"] = publicKey,
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains(MessageSignature.Fingerprint(publicKey), (await ParseAsync(await saved.Content.ReadAsStringAsync())).QuerySelector("#kunci-dci")!.TextContent,
            StringComparison.Ordinal);

        await using var db = app.Database.CreateDb();
        Assert.Equal(DciSubscriptionStates.Subscribed, (await db.Set<DciSubscription>().SingleAsync()).State);
        Assert.Equal("sid-1", (await db.Set<DciClientKey>().SingleAsync(k => k.ApiClientId == id)).KeyId);
        Assert.Equal(1, await db.AuditLog.CountAsync(e => e.Action == AuditActions.AccessDenied && e.SubjectId == Subscribe));
    }

    /// <summary>The message as a signing client sends it: its signature over the header and message exactly as written.</summary>
    private static StringContent Signed(JsonObject message, Ed25519PrivateKeyParameters key, string keyId, DateTimeOffset at, TimeSpan lifetime)
    {
        var header = message["header"]!.ToJsonString();
        var body = message["message"]!.ToJsonString();
        var signature = MessageSignature.Sign(key, keyId, at, lifetime, Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(body));
        return new StringContent($"{{\"signature\":{JsonSerializer.Serialize(signature)},\"header\":{header},\"message\":{body}}}", Encoding.UTF8, "application/json");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task With_a_registered_key_unsigned_wrongly_signed_and_expired_messages_are_refused_and_audited(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Kepala Keden", 1, new DateOnly(1980, 1, 2), 1));
        var (id, secret) = await AddClientAsync(app, Roles.Administrator);
        var http = await TokenAsync(app, id, secret);
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        var search = Message(ById("NIK", family.Persons.First().Nik));
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchRequest, JsonSerializer.SerializeToElement(search));

        // Before a key is registered the bearer token is enough.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync(SyncSearch, search)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var pem = "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(
                Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetEncoded()) + "\n-----END PUBLIC KEY-----";
            var registered = await scope.ServiceProvider.GetRequiredService<RegisterClientKey>().RunAsync(new RegisterClientKey.Input(id, pem, "kunci-1"), CancellationToken.None);
            Assert.True(registered.Succeeded);
            var refused = await scope.ServiceProvider.GetRequiredService<RegisterClientKey>().RunAsync(new RegisterClientKey.Input(id, "bukan kunci", "x|y"), CancellationToken.None);
            Assert.Equal(["SIGNING_KEY", "KEY_ID"], refused.Problems.Select(p => p.Code));
        }
        var now = DateTimeOffset.UtcNow;
        var cases = new (string Expected, HttpContent Content)[]
        {
            ("err.signature.missing", JsonContent.Create(search)),
            ("err.signature.invalid", Signed(search, new Ed25519PrivateKeyParameters(new SecureRandom()), "openspp-uji|kunci-1|ed25519", now, TimeSpan.FromMinutes(5))),
            ("err.signature.invalid", Signed(search, key, "openspp-uji|kunci-1|ed25519", now.AddHours(-2), TimeSpan.FromHours(1))),
            ("err.signature.invalid", Signed(search, key, "openspp-uji|kunci-lain|ed25519", now, TimeSpan.FromMinutes(5))),
            ("err.signature.invalid", Signed(search, key, "pengirim-lain|kunci-1|ed25519", now, TimeSpan.FromMinutes(5))),
        };
        foreach (var (expected, content) in cases)
        {
            var response = await http.PostAsync(SyncSearch, content);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.HttpError, body);
            Assert.Equal(expected, body.GetProperty("errors")[0].GetProperty("code").GetString());
            Assert.DoesNotContain(family.NoKk, body.GetRawText(), StringComparison.Ordinal);
        }
        // A message altered after signing does not verify; the untouched one does.
        var tampered = Signed(search, key, "openspp-uji|kunci-1|ed25519", now, TimeSpan.FromMinutes(5));
        var text = (await tampered.ReadAsStringAsync()).Replace("ref-1", "ref-2", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(SyncSearch, new StringContent(text, Encoding.UTF8, "application/json"))).StatusCode);
        var ok = await http.PostAsync(SyncSearch, Signed(search, key, "openspp-uji|kunci-1|ed25519", now, TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        DciSchemas.AssertValid(DciSchemas.Social, DciSchemas.SyncSearchResponse, JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement);

        await using var db = app.Database.CreateDb();
        var denied = await db.AuditLog.AsNoTracking().Where(e => e.Action == AuditActions.AccessDenied && e.SubjectId == "/api/dci/registry/sync/search").ToListAsync();
        Assert.Equal(6, denied.Count);
        Assert.All(denied, e => Assert.StartsWith("api:dci-" + Roles.Administrator + "#", e.Actor, StringComparison.Ordinal));
        Assert.Contains(denied, e => e.Detail!.Contains("err.signature.missing", StringComparison.Ordinal));
    }
}
