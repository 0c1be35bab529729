using Tuntas.Attachments;
using Tuntas.Collaboration.Meetings;
using Tuntas.Collaboration.Needs;
using Tuntas.Collaboration.Stakeholders;
using Tuntas.Collaboration.VillageLabs;
using Tuntas.Complaints;
using Tuntas.Dashboard;

namespace Tuntas.Collaboration;

/// <summary>
/// Demo collaboration for a fresh demo regency: actors of every helix — the agencies, a village government,
/// two companies (one is the demo partner's organization), a university, BAZNAS, an NGO forum, community radio —
/// village needs in the first villages, pledges at every stage (one delivered with evidence, one cancelled), a TKPKD
/// meeting with an absent agency, a decision and an overdue action for Dinas Sosial, a Forum CSR, an upcoming musdes,
/// each actor's role in the catalogue's programs, and a village target. Everything goes through the use cases, so the demo obeys the same rules as real data. Names
/// are invented ("Contoh"); no family is named.
/// </summary>
public sealed class SeedDemoCollaboration(TuntasDb db, SaveStakeholder save, RecordNeed record, Commitments commitments, ScheduleMeeting schedule, RecordAttendance attendance, RecordDecision decide, AddAction addAction, VillageLab lab,
    ProgramRoles programRoles, TimeProvider clock)
{
    public sealed record Outcome(int Stakeholders, int Needs, int Commitments, int Meetings);

    /// <summary>A one-page PDF that passes the evidence check (its first bytes), standing in for a handover photo.</summary>
    private static readonly byte[] _evidence = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    /// <param name="villages">The regency's villages in code order; the demo uses the first five.</param>
    /// <param name="agencyOrganization">The demo agency officer's organization (it owns the overdue action).</param>
    /// <param name="partnerOrganization">The demo partner's organization (it pledged and delivered).</param>
    public async Task<Outcome> RunAsync(string regency, IReadOnlyList<(string Code, string Name)> villages, string agencyOrganization, string partnerOrganization,
        CancellationToken cancellationToken)
    {
        if (villages.Count == 0 || await db.Stakeholders.AnyAsync(cancellationToken))
        {
            return new Outcome(0, 0, 0, 0);
        }
        var v = villages.Take(5).ToList();
        while (v.Count < 5)
        {
            v.Add(v[^1]);
        }
        var ids = new Dictionary<string, long>();
        async Task<long> Actor(string name, string helix, string resource, string contact, string? role = null, string? village = null)
        {
            var outcome = await save.RunAsync(new SaveStakeholder.Input(null, name, helix, [resource], role, village, true, contact, "Narahubung"), cancellationToken);
            return ids[name] = outcome.Stakeholder?.Id ?? throw new InvalidOperationException(string.Join("; ", outcome.Problems.Select(p => p.MessageEn)));
        }
        var dinsos = await Actor(agencyOrganization, "pemerintah", "APBD", "Kabid Perlindungan dan Jaminan Sosial", "Pengelola DTSEN dan bansos");
        var dinkes = await Actor("Dinas Kesehatan Kabupaten", "pemerintah", "APBD", "Kabid Kesehatan Masyarakat", "Jamban sehat, PBI-JK");
        var perkim = await Actor("Dinas Perumahan dan Kawasan Permukiman", "pemerintah", "APBD", "Kabid Perumahan", "Bedah rumah (RTLH)");
        var bappeda = await Actor("Bappeda (Sekretariat TKPKD)", "pemerintah", "APBD", "Kabid Pemerintahan dan Pembangunan Manusia", "Sekretariat TKPKD");
        var desa = await Actor("Pemerintah Desa " + v[0].Name, "desa", "APBDES", "Sekretaris Desa", "Musdes dan data desa", v[0].Code);
        var partner = await Actor(partnerOrganization, "swasta", "CSR", "Manajer CSR", "Forum CSR");
        var sugar = await Actor("PT Contoh Gula Nusantara", "swasta", "CSR", "Staf CSR", "Forum CSR");
        var campus = await Actor("Universitas Contoh", "perguruan-tinggi", "PT", "Koordinator KKN", "KKN tematik kemiskinan");
        var baznas = await Actor("BAZNAS Kabupaten", "masyarakat", "BAZNAS", "Wakil Ketua Bidang Pendistribusian");
        await Actor("Forum LSM Peduli Desa", "masyarakat", "SWADAYA", "Koordinator Forum");
        await Actor("Radio Komunitas Contoh", "media", "SWADAYA", "Redaktur");

        async Task<long> Need(int village, string kind, string title, string cost, string source) =>
            (await record.RunAsync(new RecordNeed.Input(v[village].Code, kind, title, null, cost, source, null, "demo"), cancellationToken)).Need?.Id
            ?? throw new InvalidOperationException("demo need refused: " + title);
        var rumah = await Need(0, "rtlh", "Bedah rumah 3 keluarga desil 1", "Rp 45 jt", "musdes");
        var jamban = await Need(0, "jamban", "Jamban sehat 12 rumah", "Rp 30 jt", "musdes");
        var pelatihan = await Need(0, "pelatihan", "Pelatihan menjahit 20 ibu rumah tangga", "Rp 15 jt", "ppa");
        var air = await Need(1, "air-bersih", "Sumur bor dan tandon dusun", "Rp 60 jt", "musdes");
        var modal = await Need(2, "modal-usaha", "Modal usaha kelompok UEP 10 keluarga", "Rp 25 jt", "ppa");
        var sekolah = await Need(3, "biaya-sekolah", "Seragam dan transport 15 anak SMP", "Rp 9 jt", "pengaduan");
        await Need(4, "biaya-kesehatan", "Pendampingan berobat lansia tunggal", "Rp 6 jt", "musdes");
        await Need(1, "rtlh", "Bedah rumah 2 keluarga lansia", "Rp 30 jt", "musdes");

        async Task<long> Pledge(long need, long stakeholder, string kind, string amount) =>
            (await commitments.PledgeAsync(new Commitments.PledgeInput(need, stakeholder, kind, amount, null, "demo"), cancellationToken)).Commitment?.Id
            ?? throw new InvalidOperationException("demo pledge refused");
        // Each step must pass the use case's rules; a refused one stops the seeding loudly instead of leaving a half demo.
        async Task Move(long commitment, string status, string? realized = null, AttachmentRules.Upload? evidence = null)
        {
            var (_, problems) = await commitments.ProgressAsync(new Commitments.ProgressInput(commitment, status, realized, "Contoh", evidence, "demo"), cancellationToken);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("demo commitment step refused: " + string.Join("; ", problems.Select(p => p.MessageEn)));
            }
        }
        var delivered = await Pledge(rumah, partner, "uang", "Rp 30 jt");
        await Move(delivered, CollaborationTerms.InProgress);
        await Move(delivered, CollaborationTerms.Delivered, "Rp 28,5 jt", new AttachmentRules.Upload("berita-acara-serah-terima.pdf", _evidence));
        await Pledge(rumah, perkim, "uang", "Rp 15 jt");
        await Pledge(jamban, dinkes, "barang", "Rp 30 jt");
        await Move(await Pledge(pelatihan, campus, "kkn", "Rp 10 jt"), CollaborationTerms.InProgress);
        await Move(await Pledge(air, sugar, "uang", "Rp 40 jt"), CollaborationTerms.InProgress);
        await Move(await Pledge(modal, sugar, "uang", "Rp 10 jt"), CollaborationTerms.Cancelled);
        await Pledge(modal, baznas, "uang", "Rp 15 jt");
        await Pledge(sekolah, baznas, "uang", "Rp 9 jt");

        // Who does what in the programs (the seeds' "unclear roles"), for the programs the catalogue has.
        async Task Role(long stakeholder, string program, string role, string? note = null) =>
            await programRoles.AssignAsync(new ProgramRoles.AssignInput(stakeholder, program, role, note, null, "demo"), cancellationToken);
        await Role(dinsos, "PKH", "pelaksana", "Pendamping PKH dan verifikasi DTSEN");
        await Role(dinsos, "UEP", "pemilik");
        await Role(dinsos, "BPNT", "pengawas");
        await Role(dinkes, "PBIJK", "pelaksana", "Usulan PBI daerah");
        await Role(perkim, "RTLHKAB", "pemilik");
        await Role(perkim, "BSPS", "pendamping");
        await Role(partner, "RTLHKAB", "pendana", "CSR bedah rumah");
        await Role(baznas, "RTLHKAB", "pendana", "Zakat untuk bahan bangunan");
        await Role(campus, "UEP", "pendamping", "KKN tematik");
        await Role(desa, "BLTDD", "pemilik", "Musdes khusus penetapan KPM");
        await Role(bappeda, "UEP", "pengawas", "Sekretariat TKPKD");

        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var rakor = (await schedule.RunAsync(new ScheduleMeeting.Input("rakor-tkpkd", "Rakor TKPKD: evaluasi salah sasaran bansos", now.AddDays(-20), null,
            "1. Galat inklusi/eksklusi per desa\n2. Usulan bedah rumah ke Forum CSR", [dinsos, dinkes, perkim, bappeda, partner], "demo"), cancellationToken)).Meeting!;
        await attendance.RunAsync(new(rakor.Id, [dinsos, perkim, bappeda, partner], new Dictionary<long, string>(), "Dinas Kesehatan tidak hadir tanpa pengganti."), cancellationToken);
        await decide.RunAsync(new(rakor.Id, "Verifikasi ulang penerima desil 6–10 di lima desa percontohan."), cancellationToken);
        await addAction.RunAsync(new(rakor.Id, "Kirim daftar verifikasi ke operator desa", dinsos, today.AddDays(-5)), cancellationToken);
        await addAction.RunAsync(new(rakor.Id, "Usulkan 3 rumah desil 1 ke Forum CSR", perkim, today.AddDays(10)), cancellationToken);
        var forum = (await schedule.RunAsync(new ScheduleMeeting.Input("forum-csr", "Forum CSR triwulan", now.AddDays(-40), null,
            "Pemetaan kebutuhan desa dan pembagian peran", [partner, sugar, bappeda], "demo"), cancellationToken)).Meeting!;
        await attendance.RunAsync(new(forum.Id, [partner, bappeda], new Dictionary<long, string>(), "PT Contoh Gula Nusantara berhalangan."), cancellationToken);
        await schedule.RunAsync(new ScheduleMeeting.Input("musdes", "Musyawarah desa " + v[0].Name + ": hasil pemeringkatan warga", now.AddDays(7), v[0].Code,
            "Peringkat kesejahteraan warga dibandingkan dengan desil", [desa, dinsos, partner], "demo"), cancellationToken);

        // The generated registry rarely meets 9 of the 14 BPS criteria, so the demo regency grades its villages by the
        // share of families in desil 1–4 (a choice the TKPKD makes on /Kolaborasi/Lab), then sets the first village a
        // target from its current number (a third fewer by next year).
        await lab.SetThresholdsAsync(Measures.Desil1To4, 45, 30, 15, "demo", cancellationToken);
        var status = (await lab.RefreshAsync(regency, cancellationToken)).FirstOrDefault(s => s.KodeDesa == v[0].Code);
        if (status is { PoorFamilies: > 0 } s)
        {
            await lab.SetTargetAsync(v[0].Code, s.PoorFamilies, s.PoorFamilies * 2 / 3, today.Year + 1, "Contoh sasaran RPJMDes", "demo", cancellationToken);
        }
        return new Outcome(ids.Count, await db.Needs.CountAsync(cancellationToken), await db.Commitments.CountAsync(cancellationToken),
            await db.Meetings.CountAsync(cancellationToken));
    }
}
