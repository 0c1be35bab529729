using Tuntas.Users;

namespace Tuntas.P2kp.Institutions;

/// <summary>
/// Registers a desa/kelurahan's BKM (one per village) with its UPK, and records its elected members (election date,
/// votes, end of term). The BKM's UPK is the unit loan books are imported into; it gets the code UPK-&lt;plain desa code&gt;
/// unless a book already brought one for the desa.
/// </summary>
public sealed class SaveBkm(TuntasDb db, TimeProvider clock)
{
    public sealed record Input(string KodeDesa, string? Name, DateOnly? FormedOn, string Actor, string Role, AccessScope Scope);

    public sealed record Election(long BkmId, string? Name, string Role, DateOnly ElectedOn, int Votes, int TermYears, string Actor, string UserRole, AccessScope Scope);

    public async Task<(Bkm? Bkm, Problem? Problem)> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var desa = Regions.RegionCode.ToDotted(input.KodeDesa) ?? "";
        if (desa.Length != 13 || !await db.Regions.AnyAsync(r => r.Code == desa, cancellationToken))
        {
            return (null, new("KodeDesa", "UNKNOWN_DESA", "Desa/kelurahan tidak dikenal.", "Unknown village."));
        }
        if (!P2kpAccess.MayManage(input.Role, input.Scope, desa))
        {
            return (null, P2kpAccess.Forbidden());
        }
        var name = input.Name?.Trim() ?? "";
        if (name.Length is < 3 or > 80)
        {
            return (null, new("Name", "NAME", "Nama BKM 3–80 karakter.", "BKM name 3–80 characters."));
        }
        var bkm = await db.Bkms.FirstOrDefaultAsync(b => b.KodeDesa == desa, cancellationToken);
        if (bkm is null)
        {
            bkm = new Bkm { KodeDesa = desa, Name = name, CreatedBy = input.Actor, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Bkms.Add(bkm);
        }
        bkm.Name = name;
        bkm.FormedOn = input.FormedOn;
        if (!await db.Upks.AnyAsync(u => u.KodeDesa == desa, cancellationToken))
        {
            db.Upks.Add(new Upk { Kode = "UPK-" + Regions.RegionCode.ToPlain(desa), Name = "UPK " + name, KodeDesa = desa, FoundedOn = input.FormedOn });
        }
        await db.SaveChangesAsync(cancellationToken);
        return (bkm, null);
    }

    public async Task<Problem?> ElectAsync(Election input, CancellationToken cancellationToken)
    {
        var bkm = await db.Bkms.AsNoTracking().FirstOrDefaultAsync(b => b.Id == input.BkmId, cancellationToken);
        if (bkm is null)
        {
            return P2kpAccess.NotFound();
        }
        if (!P2kpAccess.MayManage(input.UserRole, input.Scope, bkm.KodeDesa))
        {
            return P2kpAccess.Forbidden();
        }
        var name = input.Name?.Trim() ?? "";
        if (name.Length is < 3 or > 80 || input.Votes < 0 || input.TermYears is < 1 or > 5 || input.Role is not ("koordinator" or "anggota"))
        {
            return new("Name", "ELECTION", "Nama 3–80 karakter, suara ≥ 0, masa bakti 1–5 tahun, peran koordinator/anggota.",
                "Name 3–80 characters, votes ≥ 0, term 1–5 years, role koordinator/anggota.");
        }
        db.BkmMembers.Add(new BkmMember
        {
            BkmId = bkm.Id,
            Name = name,
            Role = input.Role,
            ElectedOn = input.ElectedOn,
            Votes = input.Votes,
            TermUntil = input.ElectedOn.AddYears(input.TermYears),
        });
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
