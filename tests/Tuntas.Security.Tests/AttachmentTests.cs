using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tuntas.Attachments;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Complaints;
using Tuntas.Testing;
using Tuntas.Web.Tests;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Security.Tests;

/// <summary>
/// Attachments (complaints and delivery evidence) are stored and served under the detected type, never the uploader's
/// name (OWASP ASVS 12.1–12.5), and a crash between a file and its row leaves nothing the start-up sweep cannot settle.
/// </summary>
public sealed class AttachmentTests : IDisposable
{
    private static readonly byte[] _pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tuntas-lampiran-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string> Settings() => new() { ["Tuntas:Complaints:AttachmentPath"] = _folder };

    private static async Task<HttpResponseMessage> FileOnPortalAsync(HttpClient client, params (string Name, byte[] Content)[] files)
    {
        var page = await ParseAsync(await client.GetStringAsync("/Publik/Pengaduan"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("salah-sasaran"), "Form.Category" },
            { new StringContent("Sri Lestari"), "Form.Name" },
            { new StringContent(Keden), "Form.KodeDesa" },
            { new StringContent("Tetangga mampu menerima bantuan, kami tidak."), "Form.Description" },
        };
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "Lampiran", name);
        }
        return await client.PostAsync("/Publik/Pengaduan", form);
    }

    private static void AssertServedAsPdf(HttpResponseMessage response, string expectedName)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(expectedName, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_pdf_named_bat_html_or_svg_is_stored_and_downloaded_as_a_pdf(string provider)
    {
        await using var app = await CreateAsync(provider, Settings());
        var filed = await FileOnPortalAsync(app.CreateBrowser(), ("bukti.bat", _pdf), ("foto.html", _pdf), ("scan.svg.exe", _pdf));
        Assert.NotNull((await ParseAsync(await filed.Content.ReadAsStringAsync())).QuerySelector("#tiket"));
        List<ComplaintAttachment> rows;
        await using (var db = app.Database.CreateDb())
        {
            rows = await db.ComplaintAttachments.OrderBy(a => a.Id).ToListAsync();
        }
        Assert.Equal(["bukti.pdf", "foto.pdf", "scan_svg.pdf"], rows.Select(r => r.FileName));
        Assert.All(rows, r => Assert.EndsWith(".pdf", r.StoredName, StringComparison.Ordinal));
        Assert.Equal(rows.Select(r => r.StoredName).Order(StringComparer.Ordinal), Directory.GetFiles(_folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var admin = await app.SignInAsAdministratorAsync();
        foreach (var row in rows)
        {
            AssertServedAsPdf(await admin.GetAsync($"/Aduan/{row.ComplaintId}?handler=Lampiran&lampiran={row.Id}"), row.FileName);
        }
        var page = await admin.GetStringAsync($"/Aduan/{rows[0].ComplaintId}");
        Assert.DoesNotContain("bukti.bat", page, StringComparison.Ordinal);
        Assert.DoesNotContain("foto.html", page, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_old_row_with_the_uploaders_name_is_still_served_under_the_detected_type(string provider)
    {
        await using var app = await CreateAsync(provider, Settings());
        await FileOnPortalAsync(app.CreateBrowser(), ("bukti.pdf", _pdf));
        ComplaintAttachment row;
        await using (var db = app.Database.CreateDb())
        {
            row = await db.ComplaintAttachments.SingleAsync();
            // As rows were written before names were derived: the uploader's name and the type the row claims.
            row.FileName = "foto.html";
            row.ContentType = "text/html";
            await db.SaveChangesAsync();
        }
        var admin = await app.SignInAsAdministratorAsync();
        AssertServedAsPdf(await admin.GetAsync($"/Aduan/{row.ComplaintId}?handler=Lampiran&lampiran={row.Id}"), "foto.pdf");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Delivery_evidence_named_html_is_stored_and_downloaded_as_a_pdf_on_the_page_and_the_api(string provider)
    {
        await using var app = await CreateAsync(provider, Settings());
        long needId, commitmentId, stepId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var company = (await services.GetRequiredService<SaveStakeholder>().RunAsync(new SaveStakeholder.Input(null, "PT Gula Sragen", "swasta", ["csr"], null, null, true,
                "Budi Santoso", "Manajer CSR", "0812000111", null), CancellationToken.None)).Stakeholder!;
            var need = (await services.GetRequiredService<RecordNeed>().RunAsync(new RecordNeed.Input(Keden, "rtlh", "Bedah rumah Dukuh Krajan", null, "Rp 45 jt", "musdes",
                null, "uji"), CancellationToken.None)).Need!;
            var commitments = services.GetRequiredService<Commitments>();
            var (pledge, _) = await commitments.PledgeAsync(new Commitments.PledgeInput(need.Id, company.Id, "uang", "30.000.000", null, "uji"), CancellationToken.None);
            var delivered = await commitments.ProgressAsync(new Commitments.ProgressInput(pledge!.Id, "terealisasi", "28.500.000", null,
                new AttachmentRules.Upload("berita-acara.html", _pdf), "uji"), CancellationToken.None);
            Assert.Empty(delivered.Problems);
            (needId, commitmentId) = (need.Id, pledge.Id);
            var step = await services.GetRequiredService<Data.TuntasDb>().CommitmentEvents.SingleAsync(e => e.EvidenceStoredName != null);
            stepId = step.Id;
            Assert.Equal(("berita-acara.pdf", "application/pdf"), (step.EvidenceName, step.EvidenceContentType));
            Assert.EndsWith(".pdf", step.EvidenceStoredName, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        var admin = await app.SignInAsAdministratorAsync();
        AssertServedAsPdf(await admin.GetAsync($"/Kolaborasi/Kebutuhan/{needId}?handler=Bukti&langkah={stepId}"), "berita-acara.pdf");
        AssertServedAsPdf(await admin.GetAsync($"/api/commitments/{commitmentId}/steps/{stepId}/evidence"), "berita-acara.pdf");
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_is_written_under_a_temporary_name_until_its_row_is_committed_and_the_sweep_settles_a_crash(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var store = new AttachmentStore(_folder);
        var now = DateTime.UtcNow;

        // Crash after the commit, before the rename: the row names the file, only the temporary file is there.
        var committed = await store.StageAsync(_pdf, AttachmentRules.Pdf, CancellationToken.None);
        Assert.False(File.Exists(store.PathOf(committed.StoredName)));
        Assert.Null(store.Open(committed.StoredName));
        // Crash before the commit: a temporary file and no row; and a file some earlier failure left without its row.
        var uncommitted = await store.StageAsync(_pdf, AttachmentRules.Pdf, CancellationToken.None);
        var orphan = await store.StageAsync(_pdf, AttachmentRules.Pdf, CancellationToken.None);
        store.Publish(orphan);
        // Another instance between its write and its commit right now: too young to touch.
        var inFlight = await store.StageAsync(_pdf, AttachmentRules.Pdf, CancellationToken.None);
        await using (var db = test.Database.CreateDb())
        {
            var complaint = new Complaint
            {
                Ticket = ComplaintTicket.New(),
                Category = "lainnya",
                Channel = "portal",
                Status = ComplaintTerms.New,
                ComplainantName = "Sri",
                Description = "uraian uji",
                HandlerKind = ComplaintTerms.Tkpkd,
                HandlerCode = "TKPKD",
                CreatedBy = "uji",
                CreatedAt = now,
                UpdatedAt = now,
                DueAt = now,
            };
            db.Complaints.Add(complaint);
            await db.SaveChangesAsync();
            db.ComplaintAttachments.Add(new ComplaintAttachment
            {
                ComplaintId = complaint.Id,
                FileName = "bukti.pdf",
                ContentType = "application/pdf",
                Size = committed.Size,
                Sha256 = committed.Sha256,
                StoredName = committed.StoredName,
                CreatedAt = now,
            });
            await db.SaveChangesAsync();
        }
        foreach (var file in Directory.GetFiles(_folder).Where(f => !f.Contains(inFlight.StoredName, StringComparison.Ordinal)))
        {
            File.SetLastWriteTimeUtc(file, now - TimeSpan.FromHours(1));
        }

        await using (var db = test.Database.CreateDb())
        {
            Assert.Equal(new AttachmentStore.SweepOutcome(1, 2), await store.SweepAsync(db, now, CancellationToken.None));
        }
        Assert.NotNull(store.Open(committed.StoredName));
        Assert.Equal(new[] { committed.StoredName, inFlight.StoredName + ".tmp" }.Order(StringComparer.Ordinal),
            Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(store.PathOf(uncommitted.StoredName) + ".tmp"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_app_sweeps_orphan_attachment_files_at_start_up(string provider)
    {
        Directory.CreateDirectory(_folder);
        var orphan = Path.Combine(_folder, "0123456789abcdef0123456789abcdef.pdf");
        var staged = Path.Combine(_folder, "fedcba9876543210fedcba9876543210.jpg.tmp");
        foreach (var path in new[] { orphan, staged })
        {
            await File.WriteAllBytesAsync(path, _pdf);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromHours(2));
        }
        await using var app = await CreateAsync(provider, Settings());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
