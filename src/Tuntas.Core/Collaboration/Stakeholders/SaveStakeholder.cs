using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Users;

namespace Tuntas.Collaboration.Stakeholders;

/// <summary>
/// Adds or updates a stakeholder: a unique name, a helix, the resources it brings, its role, optionally
/// its village, and — when added — its first contact person. Deactivating is an update (<c>Active = false</c>): a
/// stakeholder is never deleted, so its commitments and contacts stay on record.
/// </summary>
/// <param name="regency">Its time zone says what "today" is for the first contact's start: WIB's morning is still
/// yesterday in UTC.</param>
public sealed class SaveStakeholder(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    public sealed record Input(long? Id, string? Name, string? Helix, IReadOnlyList<string> Resources, string? Role, string? KodeDesa, bool Active,
        string? ContactName = null, string? ContactPosition = null, string? ContactPhone = null, string? ContactEmail = null);

    public sealed record Outcome(Stakeholder? Stakeholder, IReadOnlyList<Problem> Problems);

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var name = string.Join(' ', (input.Name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (name.Length is < 2 or > 150)
        {
            problems.Add(new("Name", "NAME_REQUIRED", "Nama pemangku kepentingan wajib diisi (2–150 karakter).", "The stakeholder's name is required (2–150 characters)."));
        }
        else if (await db.Stakeholders.AnyAsync(s => s.Name == name && s.Id != (input.Id ?? 0), cancellationToken))
        {
            problems.Add(new("Name", "NAME_TAKEN", "Nama ini sudah terdaftar.", "This name is already registered."));
        }
        if (!CollaborationTerms.IsKnown(CollaborationTerms.Helixes, input.Helix))
        {
            problems.Add(new("Helix", "HELIX_UNKNOWN", "Pilih heliks: " + string.Join(", ", CollaborationTerms.Helixes.Select(h => h.Code)) + ".",
                "Choose a helix: " + string.Join(", ", CollaborationTerms.Helixes.Select(h => h.Code)) + "."));
        }
        var resources = input.Resources.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim().ToUpperInvariant()).Distinct().ToList();
        if (resources.FirstOrDefault(r => !CollaborationTerms.IsKnown(CollaborationTerms.Resources, r)) is { } unknown)
        {
            problems.Add(new("Resources", "RESOURCE_UNKNOWN", $"Sumber daya '{unknown}' tidak dikenal.", $"Unknown resource '{unknown}'."));
        }
        string? village = null;
        if (!string.IsNullOrWhiteSpace(input.KodeDesa))
        {
            village = RegionCode.ToDotted(input.KodeDesa);
            if (village is not { Length: 13 } || !await db.Regions.AnyAsync(r => r.Code == village && r.Level == Region.Village, cancellationToken))
            {
                problems.Add(new("KodeDesa", "VILLAGE_UNKNOWN", "Kode desa tidak ada di tabel wilayah.", "The village code is not in the region table."));
            }
        }
        Stakeholder? stakeholder = null;
        if (input.Id is { } id && (stakeholder = await db.Stakeholders.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)) is null)
        {
            problems.Add(new("Id", "NOT_FOUND", "Pemangku kepentingan tidak ditemukan.", "Stakeholder not found."));
        }
        if (input.Id is null && string.IsNullOrWhiteSpace(input.ContactName))
        {
            problems.Add(new("ContactName", "CONTACT_REQUIRED", "Sebutkan narahubung (contact person).", "Name the contact person."));
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (stakeholder is null)
        {
            stakeholder = new Stakeholder { Name = name, Helix = input.Helix!, Resources = "", CreatedAt = now };
            db.Stakeholders.Add(stakeholder);
        }
        stakeholder.Name = name;
        stakeholder.Helix = input.Helix!;
        stakeholder.Resources = string.Join('|', resources);
        stakeholder.Role = string.IsNullOrWhiteSpace(input.Role) ? null : input.Role.Trim();
        stakeholder.KodeDesa = village;
        stakeholder.Active = input.Active;
        stakeholder.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        if (input.Id is null)
        {
            db.StakeholderContacts.Add(new StakeholderContact
            {
                StakeholderId = stakeholder.Id,
                Name = input.ContactName!.Trim(),
                Position = input.ContactPosition?.Trim(),
                Phone = input.ContactPhone?.Trim(),
                Email = input.ContactEmail?.Trim(),
                From = RegencyOptions.Of(regency).Today(clock),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(stakeholder, []);
    }
}
