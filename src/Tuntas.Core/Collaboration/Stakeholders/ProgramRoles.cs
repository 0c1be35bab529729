using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Stakeholders;

/// <summary>A stakeholder's role in a program over a period; <see cref="Until"/> null while it holds.</summary>
public sealed class StakeholderProgram
{
    public long Id { get; set; }

    public long StakeholderId { get; set; }

    public long ProgramId { get; set; }

    /// <summary>One of <see cref="ProgramRoles.Roles"/>.</summary>
    public required string Role { get; set; }

    public string? Note { get; set; }

    public DateOnly From { get; set; }

    public DateOnly? Until { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? EndedBy { get; set; }
}

internal sealed class StakeholderProgramConfiguration : IEntityTypeConfiguration<StakeholderProgram>
{
    public void Configure(EntityTypeBuilder<StakeholderProgram> builder) => builder.ToTable("stakeholder_programs");
}

/// <summary>
/// Who does what in each program (the seeds' first failure: unclear roles, sectoral ego, agencies that
/// do not know who carries a program in the field). A stakeholder takes a role in a program — owner, funder,
/// implementer, facilitator, distributor, monitor — from a date; the role is ended, never deleted, so the history of
/// who carried a program stays. One active holding of the same role per stakeholder and program.
/// </summary>
/// <param name="regency">Its time zone says what "today" is for a role's start and end: WIB's morning is still
/// yesterday in UTC, and a role ended at 06:00 WIB would end the day before.</param>
public sealed class ProgramRoles(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public static readonly IReadOnlyList<CollaborationTerms.Term> Roles =
    [
        new("pemilik", "Pemilik / penanggung jawab", "Owner / accountable"),
        new("pendana", "Pendana", "Funder"),
        new("pelaksana", "Pelaksana", "Implementer"),
        new("pendamping", "Pendamping", "Facilitator"),
        new("penyalur", "Penyalur", "Distributor"),
        new("pengawas", "Pengawas / pemantau", "Monitor"),
    ];

    public sealed record Line(long Id, long StakeholderId, string Stakeholder, string Helix, long ProgramId, string ProgramCode, string Program, string Role,
        string? Note, DateOnly From, DateOnly? Until);

    public sealed record AssignInput(long StakeholderId, string? ProgramCode, string? Role, string? Note, DateOnly? From, string Actor);

    public async Task<(StakeholderProgram? Role, IReadOnlyList<Problem> Problems)> AssignAsync(AssignInput input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var stakeholder = await db.Stakeholders.AsNoTracking().SingleOrDefaultAsync(s => s.Id == input.StakeholderId, cancellationToken);
        if (stakeholder is not { Active: true })
        {
            problems.Add(new("StakeholderId", "STAKEHOLDER_INACTIVE", "Pemangku kepentingan tidak ada atau tidak aktif.", "The stakeholder does not exist or is inactive."));
        }
        var code = (input.ProgramCode ?? "").Trim().ToUpperInvariant();
        var program = await db.Programs.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (program is null)
        {
            problems.Add(new("ProgramCode", "PROGRAM_UNKNOWN", $"Program '{code}' tidak ada dalam katalog.", $"Program '{code}' is not in the catalogue."));
        }
        if (!CollaborationTerms.IsKnown(Roles, input.Role))
        {
            problems.Add(new("Role", "ROLE_UNKNOWN", "Pilih peran: " + string.Join(", ", Roles.Select(r => r.Code)) + ".",
                "Choose a role: " + string.Join(", ", Roles.Select(r => r.Code)) + "."));
        }
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note is { Length: > 500 })
        {
            problems.Add(new("Note", "NOTE_LENGTH", "Catatan paling panjang 500 karakter.", "A note is at most 500 characters."));
        }
        if (problems.Count == 0 && await db.StakeholderPrograms.AnyAsync(r => r.StakeholderId == input.StakeholderId && r.ProgramId == program!.Id
                && r.Role == input.Role && r.Until == null, cancellationToken))
        {
            problems.Add(new("Role", "ROLE_HELD", "Pemangku kepentingan ini sudah memegang peran itu dalam program ini.",
                "This stakeholder already holds that role in this program."));
        }
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var role = new StakeholderProgram
        {
            StakeholderId = input.StakeholderId,
            ProgramId = program!.Id,
            Role = input.Role!,
            Note = note,
            From = input.From ?? RegencyOptions.Of(regency).Today(clock),
            CreatedBy = input.Actor,
            CreatedAt = now,
        };
        db.StakeholderPrograms.Add(role);
        await db.SaveChangesAsync(cancellationToken);
        return (role, []);
    }

    /// <summary>Ends a role today (kept as history); a problem when it is unknown or already ended.</summary>
    public async Task<Problem?> EndAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var role = await db.StakeholderPrograms.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (role is null || role.Until is not null)
        {
            return new Problem("Id", "ROLE_ENDED", "Peran ini tidak ada atau sudah berakhir.", "This role does not exist or has ended.");
        }
        role.Until = RegencyOptions.Of(regency).Today(clock);
        role.EndedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Roles, current first, of one stakeholder or of one program (or every one).</summary>
    public async Task<IReadOnlyList<Line>> ListAsync(long? stakeholderId, long? programId, CancellationToken cancellationToken)
    {
        var query = db.StakeholderPrograms.AsNoTracking();
        if (stakeholderId is { } s)
        {
            query = query.Where(r => r.StakeholderId == s);
        }
        if (programId is { } p)
        {
            query = query.Where(r => r.ProgramId == p);
        }
        var rows = await query.Join(db.Stakeholders, r => r.StakeholderId, s => s.Id, (r, s) => new { r, s.Name, s.Helix })
            .Join(db.Programs, x => x.r.ProgramId, p => p.Id, (x, p) => new { x.r, x.Name, x.Helix, p.Code, Program = p.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(x => x.r.Until is null ? 0 : 1).ThenBy(x => x.Code, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => new Line(x.r.Id, x.r.StakeholderId, x.Name, x.Helix, x.r.ProgramId, x.Code, x.Program, x.r.Role, x.r.Note, x.r.From, x.r.Until))];
    }
}
