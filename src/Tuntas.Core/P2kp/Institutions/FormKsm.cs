using Tuntas.Users;

namespace Tuntas.P2kp.Institutions;

/// <summary>
/// Forms a KSM in a UPK's area with members picked from the registry (persons of families the caller sees by name),
/// one of them the chair (KETUA). Five to ten families is the P2KP norm (DOMAIN §6; LOAN-BOOK-FORMAT.md KSM_SIZE): fewer
/// than two members or more than one member per family is refused, outside 5–10 is allowed but flagged on the page.
/// </summary>
public sealed class FormKsm(TuntasDb db)
{
    public sealed record Input(long UpkId, string? Name, string Jenis, DateOnly FormedOn, IReadOnlyList<long> PersonIds, long? KetuaPersonId,
        string? Facilitator, string Role, AccessScope Scope);

    public sealed record Outcome(Ksm? Ksm, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var upk = await db.Upks.AsNoTracking().FirstOrDefaultAsync(u => u.Id == input.UpkId, cancellationToken);
        if (P2kpAccess.Refuses(upk, r => r.KodeDesa, input.Role, input.Scope, out var refused))
        {
            return new(null, [refused]);
        }
        var problems = new List<Problem>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is < 3 or > 80)
        {
            problems.Add(new("Name", "NAME", "Nama KSM 3–80 karakter.", "KSM name 3–80 characters."));
        }
        if (!LoanBook.LoanBookParser.Jenis.Contains(input.Jenis))
        {
            problems.Add(new("Jenis", "INVALID_CODE", "Jenis KSM: EKONOMI, SOSIAL atau LINGKUNGAN.", "KSM type: EKONOMI, SOSIAL or LINGKUNGAN."));
        }
        var ids = input.PersonIds.Distinct().ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Join(db.Families.AsNoTracking().Where(input.Scope.FamilyFilter()), p => p.FamilyId, f => f.Id, (p, f) => new { p.Id, p.Nik, p.Nama, p.FamilyId })
            .ToListAsync(cancellationToken);
        if (persons.Count != ids.Count)
        {
            problems.Add(new("PersonIds", "PERSON_OUTSIDE_SCOPE", "Anggota harus orang di data terpadu dalam wilayah Anda.", "Members must be registry persons within your area."));
        }
        if (ids.Count < 2)
        {
            problems.Add(new("PersonIds", "KSM_SIZE", "KSM beranggota minimal dua orang (lazimnya 5–10 keluarga).", "A KSM has at least two members (usually 5–10 families)."));
        }
        if (persons.GroupBy(p => p.FamilyId).Any(g => g.Count() > 1))
        {
            problems.Add(new("PersonIds", "ONE_PER_FAMILY", "Satu anggota per keluarga.", "One member per family."));
        }
        if (input.KetuaPersonId is not { } ketua || !ids.Contains(ketua))
        {
            problems.Add(new("KetuaPersonId", "KETUA_REQUIRED", "Pilih ketua dari anggota.", "Choose the chair among the members."));
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.Ksms.CountAsync(k => k.UpkId == upk.Id, cancellationToken);
        string kode;
        do
        {
            kode = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{upk.Kode}-K{++count:D4}");
        }
        while (await db.Ksms.AnyAsync(k => k.UpkId == upk.Id && k.Kode == kode, cancellationToken));
        var ketuaNik = persons.Single(p => p.Id == input.KetuaPersonId).Nik;
        var ksm = new Ksm
        {
            UpkId = upk.Id,
            Kode = kode,
            Name = name,
            KodeDesa = upk.KodeDesa,
            Jenis = input.Jenis,
            FormedOn = input.FormedOn,
            KetuaNik = ketuaNik,
            Facilitator = string.IsNullOrWhiteSpace(input.Facilitator) ? null : input.Facilitator.Trim(),
        };
        db.Ksms.Add(ksm);
        await db.SaveChangesAsync(cancellationToken);
        db.KsmMembers.AddRange(persons.Select(p => new KsmMember
        {
            KsmId = ksm.Id,
            Nik = p.Nik,
            Name = p.Nama,
            Role = p.Id == input.KetuaPersonId ? "KETUA" : "ANGGOTA",
            PersonId = p.Id,
            JoinedOn = input.FormedOn,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(ksm, []);
    }

    /// <summary>Dissolves a KSM (members leave on that date); refused while it has a loan still running.</summary>
    public async Task<Problem?> DissolveAsync(long ksmId, DateOnly on, string role, AccessScope scope, CancellationToken cancellationToken)
    {
        var ksm = await db.Ksms.FirstOrDefaultAsync(k => k.Id == ksmId, cancellationToken);
        if (P2kpAccess.Refuses(ksm, r => r.KodeDesa, role, scope, out var refused))
        {
            return refused;
        }
        var running = await db.UpkLoans.Where(l => l.KsmId == ksm.Id && (l.Status == LoanStatus.Proposed || l.Status == LoanStatus.Approved
            || (l.Status == LoanStatus.Disbursed && l.Principal > (db.UpkRepayments.Where(r => r.LoanId == l.Id).Sum(r => (long?)r.Principal) ?? 0))))
            .AnyAsync(cancellationToken);
        if (running)
        {
            return new("", "KSM_HAS_LOAN", "KSM masih punya pinjaman berjalan; lunasi, hapus buku atau tarik dahulu.",
                "The KSM still has a running loan; repay, write off or withdraw it first.");
        }
        ksm.DissolvedOn = on;
        await db.KsmMembers.Where(m => m.KsmId == ksm.Id && m.LeftOn == null).ExecuteUpdateAsync(s => s.SetProperty(m => m.LeftOn, on), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
