using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tuntas.FieldCollection;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Verivali;
using Tuntas.Web.OpenRosa;
using static Tuntas.Web.Tests.OpenRosa.OpenRosaTests;

namespace Tuntas.Web.Tests.OpenRosa;

/// <summary>
/// The offline browser form's two endpoints under the enumerator's sign-in: the worklist it keeps on the phone (only
/// their own assignment, NO_KK masked, audited once per download) and the submission, which is ODK Collect's body sent
/// to the same use case — stored once however often it is sent, refused outside the assignment.
/// </summary>
public sealed class BrowserFormApiTests
{
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, MultipartFormDataContent body, bool header = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/field/submissions") { Content = body };
        if (header)
        {
            request.Headers.Add(FieldApi.FormHeader, "1");
        }
        return await client.SendAsync(request);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_worklist_holds_only_the_users_own_families_with_no_kk_masked_and_each_download_is_audited_once(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var app = setup.App;
        var siti = await app.SignInAsync("relawan.siti", "rahasia-relawan-123");
        using var response = await siti.GetAsync("/api/field/worklist");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var worklist = JsonDocument.Parse(text).RootElement;
        var family = Assert.Single(worklist.GetProperty("families").EnumerateArray()); // Budi's family is not on Siti's phone
        Assert.Equal(setup.SitiLine, family.GetProperty("line").GetInt64());
        Assert.Contains("Sukijo", family.GetProperty("label").GetString(), StringComparison.Ordinal);
        await using (var db = app.Database.CreateDb())
        {
            var noKk = await db.VerivaliLines.Where(l => l.Id == setup.SitiLine).Join(db.Families, l => l.FamilyId, f => f.Id, (l, f) => f.NoKk).SingleAsync();
            Assert.DoesNotContain(noKk, text, StringComparison.Ordinal);
            Assert.Contains(Tuntas.Registry.NoKk.Mask(noKk), family.GetProperty("label").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(["Sukijo", "Sri"], worklist.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal([FieldForms.Visit, FieldForms.NewFamily], worklist.GetProperty("forms").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Contains(worklist.GetProperty("villages").EnumerateArray(), v => v.GetProperty("code").GetString() == TuntasWebFactory.Keden);
        Assert.Contains(worklist.GetProperty("personFields").EnumerateArray(), f => f.GetProperty("name").GetString() == "nik" && f.GetProperty("pattern").GetString() == "[0-9]{16}");

        await using (var db = app.Database.CreateDb())
        {
            var reads = await db.AuditLog.AsNoTracking().Where(e => e.SubjectType == "lapangan-daftar").ToListAsync();
            Assert.Equal("relawan.siti", Assert.Single(reads).Actor);
        }
        // A role that does not visit families has no worklist.
        await app.AddUserAsync("auditor.uji", "rahasia-auditor-123", Roles.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignInAsync("auditor.uji", "rahasia-auditor-123")).GetAsync("/api/field/worklist")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/field/worklist")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_visit_from_the_browser_is_stored_once_however_often_it_is_sent_and_refused_outside_the_assignment(string provider)
    {
        await using var setup = await SetUpAsync(provider);
        var app = setup.App;
        var siti = await app.SignInAsync("relawan.siti", "rahasia-relawan-123");
        var photo = ("foto-1.jpg", Jpeg(4096), "image/jpeg");
        string Visit(string instance, long line, string jenisLantai = "2") =>
            Fixture(1, line, setup.Head, setup.Wife, instance, jenisLantai: jenisLantai, photo: "foto-1.jpg");

        // Without the form's header (a cross-site form could not send it): refused before reading anything.
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(siti, Submission(Visit("uuid:h", setup.SitiLine), photo), header: false)).StatusCode);
        // Another enumerator's family: 403 with the reason, nothing stored.
        using (var others = await SendAsync(siti, Submission(Visit("uuid:b", setup.BudiLine), photo)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
            var problem = await others.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("NOT_ASSIGNED", problem.GetProperty("issues")[0].GetProperty("code").GetString());
        }
        await using (var db = app.Database.CreateDb())
        {
            Assert.Equal(0, await db.FieldSubmissions.CountAsync());
        }

        var xml = Visit("uuid:7d1f1e7a-4f0e-4c55-9a3e-5b2f0c9d8e11", setup.SitiLine);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // The second send is the phone resending after a lost answer: stored once, answered the same.
            using var sent = await SendAsync(siti, Submission(xml, photo));
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            var answer = await sent.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((FieldTerms.Accepted, attempt == 1, setup.SitiLine),
                (answer.GetProperty("status").GetString(), answer.GetProperty("duplicate").GetBoolean(), answer.GetProperty("lineId").GetInt64()));
        }
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(siti, Submission(Visit("uuid:7d1f1e7a-4f0e-4c55-9a3e-5b2f0c9d8e11", setup.SitiLine, "3"), photo))).StatusCode);

        // A value failing the registry's rules: stored as refused, the reasons in the answer.
        using (var refused = await SendAsync(siti, Submission(Visit("uuid:r", setup.SitiLine, "12"), photo)))
        {
            Assert.Equal(HttpStatusCode.Created, refused.StatusCode);
            var answer = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(FieldTerms.Refused, answer.GetProperty("status").GetString());
            Assert.Contains("OUT_OF_RANGE", answer.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        }

        await using (var db = app.Database.CreateDb())
        {
            var stored = await db.FieldSubmissions.AsNoTracking().OrderBy(s => s.Id).ToListAsync();
            Assert.Equal([("uuid:7d1f1e7a-4f0e-4c55-9a3e-5b2f0c9d8e11", FieldTerms.Accepted), ("uuid:r", FieldTerms.Refused)], stored.Select(s => (s.InstanceId, s.Status)));
            // Sent under the sign-in, not a device token.
            Assert.All(stored, s => Assert.Equal(("relawan.siti", (long?)null), (s.SubmittedBy, s.DeviceTokenId)));
            Assert.Equal(1, await db.FieldSubmissionFiles.CountAsync(f => f.SubmissionId == stored[0].Id));
            var line = await db.VerivaliLines.AsNoTracking().SingleAsync(l => l.Id == setup.SitiLine);
            Assert.Equal((VerivaliTerms.Visited, VerivaliTerms.Corrected, "relawan.siti"), (line.Status, line.Outcome, line.VisitedBy));
        }
    }
}
