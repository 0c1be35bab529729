using Microsoft.Extensions.Options;
using Tuntas.Regions;
using Tuntas.Registry;
using Tuntas.Users;

namespace Tuntas.Access;

/// <summary>
/// Records a data-sharing agreement with a partner organization: number, organization, purpose, start
/// and end date (the end is required: sharing without an end is not allowed, UU PDP 27/2022 Pasal 16(2)e retention),
/// and the villages (codes) and families (NO_KK, never shown in URLs) shared. Everything is checked before anything is
/// written; the agreement and its items are written in one transaction.
/// </summary>
/// <param name="regency">Its time zone says what "today" is for an end date that has passed: WIB's morning is still
/// yesterday in UTC, when an agreement ending yesterday would still be accepted.</param>
public sealed class RecordAgreement(TuntasDb db, TimeProvider clock, IOptions<RegencyOptions>? regency = null)
{
    /// <summary>The longest agreement accepted: a partner's program cycle; renew it with a new agreement.</summary>
    public const int MaxYears = 3;

    public sealed record Input(string Number, string Organization, string Purpose, DateOnly StartsOn, DateOnly EndsOn,
        IReadOnlyList<string> Villages, IReadOnlyList<string> FamilyNumbers, string CreatedBy);

    public sealed record Outcome(DataSharingAgreement? Agreement, IReadOnlyList<Problem> Problems, int Villages, int Families)
    {
        public bool Succeeded => Agreement is not null;
    }

    public async Task<Outcome> RunAsync(Input input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var number = (input.Number ?? "").Trim();
        var organization = string.Join(' ', (input.Organization ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var purpose = (input.Purpose ?? "").Trim();
        if (number.Length is 0 or > 80)
        {
            problems.Add(new("Number", "AGREEMENT_NUMBER", "Nomor perjanjian wajib diisi (paling panjang 80 karakter).",
                "The agreement number is required (at most 80 characters)."));
        }
        else if (await db.DataSharingAgreements.AnyAsync(a => a.Number == number, cancellationToken))
        {
            problems.Add(new("Number", "AGREEMENT_NUMBER_TAKEN", "Nomor perjanjian sudah tercatat.", "This agreement number is already recorded."));
        }
        if (organization.Length is 0 or > UserRules.MaxOrganizationLength)
        {
            problems.Add(new("Organization", "ORGANIZATION_REQUIRED", "Nama lembaga mitra wajib diisi.", "The partner organization is required."));
        }
        if (purpose.Length is < 10 or > 1000)
        {
            problems.Add(new("Purpose", "AGREEMENT_PURPOSE",
                "Tujuan pemrosesan wajib diuraikan (10–1000 karakter), mis. \"verifikasi calon penerima bedah rumah CSR\".",
                "Describe the purpose of processing (10–1000 characters), e.g. \"verifying candidates for a CSR house renovation\"."));
        }
        if (input.EndsOn < input.StartsOn)
        {
            problems.Add(new("EndsOn", "AGREEMENT_DATES", "Tanggal berakhir tidak boleh sebelum tanggal mulai.", "The end date cannot be before the start date."));
        }
        else if (input.EndsOn > input.StartsOn.AddYears(MaxYears))
        {
            problems.Add(new("EndsOn", "AGREEMENT_TOO_LONG",
                string.Create(CultureInfo.InvariantCulture, $"Perjanjian paling lama {MaxYears} tahun; perpanjang dengan perjanjian baru."),
                string.Create(CultureInfo.InvariantCulture, $"An agreement lasts at most {MaxYears} years; renew it with a new one.")));
        }
        if (input.EndsOn < RegencyOptions.Of(regency).Today(clock))
        {
            problems.Add(new("EndsOn", "AGREEMENT_ENDED", "Tanggal berakhir sudah lewat.", "The end date has already passed."));
        }
        var villages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in input.Villages.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            if (RegionCode.ToDotted(text) is { Length: 13 } code)
            {
                villages.Add(code);
            }
            else
            {
                problems.Add(new("Villages", "VILLAGE_CODE_FORMAT",
                    string.Create(CultureInfo.InvariantCulture, $"'{text.Trim()}' bukan kode desa (mis. 33.14.01.2001)."),
                    string.Create(CultureInfo.InvariantCulture, $"'{text.Trim()}' is not a village code (e.g. 33.14.01.2001).")));
            }
        }
        var knownVillages = await db.Regions.AsNoTracking().Where(r => villages.Contains(r.Code) && r.Level == Region.Village).Select(r => r.Code).ToListAsync(cancellationToken);
        foreach (var missing in villages.Except(knownVillages, StringComparer.Ordinal))
        {
            problems.Add(new("Villages", "REGION_UNKNOWN",
                string.Create(CultureInfo.InvariantCulture, $"Kode desa '{missing}' tidak ada di tabel wilayah Kemendagri."),
                string.Create(CultureInfo.InvariantCulture, $"Village code '{missing}' is not in the Kemendagri region table.")));
        }
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var text in input.FamilyNumbers)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            var digits = new string([.. text.Where(char.IsDigit)]);
            if (digits.Length != 16)
            {
                // The line number, never the value: a malformed NO_KK is still personal data.
                problems.Add(new("FamilyNumbers", "NO_KK_FORMAT",
                    string.Create(CultureInfo.InvariantCulture, $"Baris {lineNumber}: NO_KK harus 16 angka."),
                    string.Create(CultureInfo.InvariantCulture, $"Line {lineNumber}: NO_KK must be 16 digits.")));
                continue;
            }
            numbers.Add(digits);
        }
        var families = await db.Families.AsNoTracking().Where(f => numbers.Contains(f.NoKk)).Select(f => new { f.Id, f.NoKk }).ToListAsync(cancellationToken);
        var unknownFamilies = numbers.Count - families.Select(f => f.NoKk).Distinct().Count();
        if (unknownFamilies > 0)
        {
            problems.Add(new("FamilyNumbers", "NO_KK_UNKNOWN",
                string.Create(CultureInfo.InvariantCulture, $"{unknownFamilies} NO_KK tidak ada di data terpadu."),
                string.Create(CultureInfo.InvariantCulture, $"{unknownFamilies} NO_KK are not in the integrated registry.")));
        }
        if (villages.Count == 0 && numbers.Count == 0)
        {
            problems.Add(new("Villages", "AGREEMENT_EMPTY", "Sebutkan desa atau keluarga yang dibagikan.", "Name the villages or families shared."));
        }
        if (problems.Count > 0)
        {
            return new Outcome(null, problems, 0, 0);
        }
        var agreement = new DataSharingAgreement
        {
            Number = number,
            Organization = organization,
            Purpose = purpose,
            StartsOn = input.StartsOn,
            EndsOn = input.EndsOn,
            CreatedBy = input.CreatedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.DataSharingAgreements.Add(agreement);
        await db.SaveChangesAsync(cancellationToken);
        db.DataSharingItems.AddRange(villages.Select(v => new DataSharingItem { AgreementId = agreement.Id, KodeDesa = v }));
        db.DataSharingItems.AddRange(families.Select(f => f.Id).Distinct().Select(id => new DataSharingItem { AgreementId = agreement.Id, FamilyId = id }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(agreement, [], villages.Count, families.Count);
    }
}
