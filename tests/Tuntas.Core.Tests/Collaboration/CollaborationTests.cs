using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tuntas.Attachments;
using Tuntas.Collaboration;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Complaints;
using Tuntas.Core.Tests.Imports;
using Tuntas.Programs;
using Tuntas.Regions;
using Tuntas.Testing;

namespace Tuntas.Core.Tests.Collaboration;

/// <summary>Stakeholders and handover, needs with coverage and gap, commitments to delivery, the Forum CSR view.</summary>
public sealed class CollaborationTests
{
    private const string Keden = "33.14.01.2001";
    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Pledges_cover_a_need_until_delivered_with_evidence_and_a_handover_moves_open_commitments(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var storage = new AttachmentStore(Path.Combine(Path.GetTempPath(), "tuntas-bukti-" + Guid.NewGuid().ToString("N")));
        await using var db = test.Database.CreateDb();
        var clock = TimeProvider.System;

        var refused = await new SaveStakeholder(db, clock).RunAsync(new SaveStakeholder.Input(null, "X", "bank", ["EMAS"], null, "33.14.99.9999", true), CancellationToken.None);
        Assert.Equal(["NAME_REQUIRED", "HELIX_UNKNOWN", "RESOURCE_UNKNOWN", "VILLAGE_UNKNOWN", "CONTACT_REQUIRED"], refused.Problems.Select(p => p.Code));

        var company = (await new SaveStakeholder(db, clock).RunAsync(new SaveStakeholder.Input(null, "PT Gula Sragen", "swasta", ["csr"], "anggota Forum CSR", null, true,
            "Budi Santoso", "Manajer CSR", "0812000111", null), CancellationToken.None)).Stakeholder!;
        var need = (await new RecordNeed(db, clock).RunAsync(new RecordNeed.Input(Keden, "rtlh", "Bedah rumah 3 keluarga Dukuh Krajan", null, "Rp 45 jt", "musdes", null, "uji"),
            CancellationToken.None)).Need!;
        Assert.Equal(45_000_000, need.EstimatedCost);

        var commitments = new Commitments(db, storage, clock);
        var (pledge, problems) = await commitments.PledgeAsync(new Commitments.PledgeInput(need.Id, company.Id, "uang", "30.000.000", "tahap 1", "uji"), CancellationToken.None);
        Assert.Empty(problems);
        var browse = new BrowseNeeds(db);
        var row = Assert.Single(await browse.RunAsync(new BrowseNeeds.Input(Region: "33.14.01"), CancellationToken.None));
        Assert.Equal((30_000_000L, 15_000_000L), (row.Covered, row.Gap));

        // Handover: the new contact takes the open commitment, with a record.
        var handover = await new HandOverContact(db, clock).RunAsync(new HandOverContact.Input(company.Id, "Sari Dewi", "Manajer CSR", null, null,
            "Budi pindah ke kantor pusat; tahap 1 bedah rumah Keden sedang berjalan.", "uji"), CancellationToken.None);
        Assert.Equal(1, handover.CommitmentsMoved);
        Assert.Equal(handover.Contact!.Id, (await db.Commitments.AsNoTracking().SingleAsync()).ContactId);
        Assert.Equal(1, await db.StakeholderContacts.CountAsync(c => c.StakeholderId == company.Id && c.Until == null));

        // Delivery needs the realized amount and evidence of a real photo or document type.
        var noEvidence = await commitments.ProgressAsync(new Commitments.ProgressInput(pledge!.Id, "terealisasi", "28.500.000", null, null, "uji"), CancellationToken.None);
        Assert.Contains(noEvidence.Problems, p => p.Code == "EVIDENCE_REQUIRED");
        var fake = await commitments.ProgressAsync(new Commitments.ProgressInput(pledge.Id, "terealisasi", "28.500.000", null,
            new AttachmentRules.Upload("foto.jpg", "<html>"u8.ToArray()), "uji"), CancellationToken.None);
        Assert.Contains(fake.Problems, p => p.Code == "ATTACHMENT_TYPE");
        var delivered = await commitments.ProgressAsync(new Commitments.ProgressInput(pledge.Id, "terealisasi", "28.500.000", "serah terima 3 rumah",
            new AttachmentRules.Upload("serah-terima.png", _png), "uji"), CancellationToken.None);
        Assert.Empty(delivered.Problems);
        row = Assert.Single(await browse.RunAsync(new BrowseNeeds.Input(Region: Keden), CancellationToken.None));
        Assert.Equal((28_500_000L, 16_500_000L), (row.Covered, row.Gap));
        Assert.Contains((await commitments.ProgressAsync(new Commitments.ProgressInput(pledge.Id, "berjalan", null, null, null, "uji"), CancellationToken.None)).Problems,
            p => p.Code == "STATUS_STEP");

        var forum = await new ForumCsrReport(new CommitmentReport(db)).RunAsync(null, "swasta", CancellationToken.None);
        var line = Assert.Single(forum.ByStakeholder);
        Assert.Equal(("PT Gula Sragen", 30_000_000L, 28_500_000L, 0), (line.Name, line.Pledged, line.Delivered, line.Open));
        Assert.Equal("Keden", Assert.Single(forum.ByVillage).Name);
        Assert.Equal("rtlh", Assert.Single(forum.BySector).Key);
        Directory.Delete(storage.Folder, recursive: true);
    }

    /// <summary>At 06:30 WIB on 11 March (23:30 UTC on the 10th) a contact's start and end, a role's start and end, an action's
    /// overdue mark and its done date are the regency's day, not UTC's.</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Contacts_roles_and_actions_are_dated_on_the_regencys_day_in_wibs_morning(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await new SeedPrograms(test.Database, TimeProvider.System).RunAsync(CancellationToken.None);
        await using var db = test.Database.CreateDb();
        var morning = new FixedClock(new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero));
        var wib = Options.Create(RegencyOptions.Default);
        var (yesterday, today) = (new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11));

        var company = (await new SaveStakeholder(db, morning, wib).RunAsync(new SaveStakeholder.Input(null, "PT Gula Sragen", "swasta", ["csr"], null, null, true,
            "Budi Santoso", "Manajer CSR", null, null), CancellationToken.None)).Stakeholder!;
        Assert.Equal(today, (await db.StakeholderContacts.AsNoTracking().SingleAsync()).From);

        var roles = new ProgramRoles(db, morning, wib);
        var (role, problems) = await roles.AssignAsync(new ProgramRoles.AssignInput(company.Id, "RTLHKAB", "pendana", null, null, "uji"), CancellationToken.None);
        Assert.Empty(problems);
        Assert.Equal(today, role!.From);
        Assert.Null(await roles.EndAsync(role.Id, "uji", CancellationToken.None));
        Assert.Equal(today, (await db.StakeholderPrograms.AsNoTracking().SingleAsync()).Until);

        var meeting = (await new ScheduleMeeting(db, morning).RunAsync(new ScheduleMeeting.Input("rakor-tkpkd", "Rakor TKPKD bulanan",
            new DateTime(2026, 3, 2, 2, 0, 0, DateTimeKind.Utc), null, "Evaluasi salah sasaran", [company.Id], "uji"), CancellationToken.None)).Meeting!;
        var addAction = new AddAction(db, morning);
        var late = (await addAction.RunAsync(new(meeting.Id, "Kirim daftar verifikasi", company.Id, yesterday), CancellationToken.None)).Action!;
        var due = (await addAction.RunAsync(new(meeting.Id, "Usulkan tiga rumah desil 1", company.Id, today), CancellationToken.None)).Action!;
        var open = await new ListOpenActions(db, morning, wib).RunAsync(null, CancellationToken.None);
        Assert.True(open.Single(a => a.Action.Id == late.Id).Overdue);
        Assert.False(open.Single(a => a.Action.Id == due.Id).Overdue);
        Assert.Null(await new CloseAction(db, morning, wib).RunAsync(new(due.Id, true, "diusulkan"), CancellationToken.None));
        Assert.Equal(today, (await db.ActionItems.AsNoTracking().SingleAsync(a => a.Id == due.Id)).DoneOn);

        await new HandOverContact(db, morning, wib).RunAsync(new HandOverContact.Input(company.Id, "Sari Dewi", "Manajer CSR", null, null,
            "Budi pindah ke kantor pusat; daftar verifikasi belum dikirim.", "uji"), CancellationToken.None);
        var contacts = await db.StakeholderContacts.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(today, contacts[0].Until);
        Assert.Equal(today, contacts[1].From);
    }
}
