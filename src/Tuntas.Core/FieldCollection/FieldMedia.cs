using Tuntas.Registry;
using Tuntas.Verivali;

namespace Tuntas.FieldCollection;

/// <summary>
/// The CSV media files of the field forms, per enumerator (ODK's select_one_from_file and secondary instances):
/// <list type="bullet">
/// <item><c>keluarga.csv</c>: the worklist lines assigned to the user in the open period, still to visit or visited
/// (name = line id, label = head of family and masked NO_KK, then the masked NO_KK, head, the address as shown and the current value of every
/// field a visit may correct, by its import column in lower case);</item>
/// <item><c>anggota.csv</c>: the living members of those families (name = person id, baris = line id, nama, kepala = 1
/// for the head of family);</item>
/// <item><c>desa.csv</c>: the villages the user may propose a new family in: the villages of the user's scope, or of
/// their assigned lines (a relawan).</item>
/// </list>
/// Personal data leaves the server here, only what the enumerator's own assignment needs; each download is audited.
/// </summary>
public sealed class FieldMedia(TuntasDb db)
{
    public sealed record Input(string FileName, string UserName, AccessScope Scope);

    /// <summary>The file's content, or null when the name is not one of the forms' media files.</summary>
    public async Task<string?> RunAsync(Input input, CancellationToken cancellationToken) => input.FileName switch
    {
        FieldForms.FamiliesCsv => await FamiliesAsync(input, cancellationToken),
        FieldForms.MembersCsv => await MembersAsync(input, cancellationToken),
        FieldForms.VillagesCsv => await VillagesAsync(input, cancellationToken),
        _ => null,
    };

    private IQueryable<VerivaliLine> Assigned(string userName) => db.VerivaliLines.AsNoTracking()
        .Where(l => l.AssignedTo == userName && l.FamilyId != null && (l.Status == VerivaliTerms.Open || l.Status == VerivaliTerms.Visited)
            && db.VerivaliPeriods.Any(p => p.Id == l.PeriodId && p.ClosedAt == null));

    /// <summary>A line assigned to the user with its family, the head's name and the address as one text.</summary>
    public sealed record FamilyRow(long LineId, Family Family, string Head, string Address);

    /// <param name="Head">The member is the family's head (HUBUNGAN_KK 1): the forms ask for a new head when the head is
    /// recorded as no longer living.</param>
    public sealed record MemberRow(long Id, long LineId, string Nama, bool Head);

    public sealed record VillageRow(string Code, string Name);

    /// <summary>The families of the user's assigned lines in the open period (the rows of <c>keluarga.csv</c>, and of the
    /// browser form's worklist, <see cref="FieldWorklist"/>).</summary>
    public async Task<List<FamilyRow>> FamilyRowsAsync(string userName, CancellationToken cancellationToken)
    {
        var rows = await Assigned(userName)
            .Join(db.Families.AsNoTracking(), l => l.FamilyId, f => f.Id, (l, f) => new { LineId = l.Id, Family = f })
            .OrderBy(r => r.LineId).ToListAsync(cancellationToken);
        var familyIds = rows.Select(r => r.Family.Id).ToList();
        var heads = new Dictionary<long, string>();
        foreach (var chunk in familyIds.Chunk(500))
        {
            foreach (var head in await db.Persons.AsNoTracking().Where(p => chunk.Contains(p.FamilyId) && p.HubunganKk == 1 && p.StatusHidup == LifeStatus.Hidup)
                .Select(p => new { p.FamilyId, p.Nama }).ToListAsync(cancellationToken))
            {
                heads.TryAdd(head.FamilyId, head.Nama);
            }
        }
        return [.. rows.Select(r => new FamilyRow(r.LineId, r.Family, heads.GetValueOrDefault(r.Family.Id, "-"),
            string.Join(" ", new[] { r.Family.Alamat, r.Family.Rt is null ? null : "RT " + r.Family.Rt, r.Family.Rw is null ? null : "RW " + r.Family.Rw }
                .Where(p => !string.IsNullOrWhiteSpace(p)))))];
    }

    /// <summary>The living members of those families (the rows of <c>anggota.csv</c>).</summary>
    public async Task<List<MemberRow>> MemberRowsAsync(string userName, CancellationToken cancellationToken) =>
        await Assigned(userName)
            .Join(db.Persons.AsNoTracking().Where(p => p.StatusHidup == LifeStatus.Hidup), l => l.FamilyId, p => p.FamilyId,
                (l, p) => new { p.Id, LineId = l.Id, p.Nama, p.HubunganKk })
            .OrderBy(r => r.LineId).ThenBy(r => r.HubunganKk).ThenBy(r => r.Id)
            .Select(r => new MemberRow(r.Id, r.LineId, r.Nama, r.HubunganKk == 1)).ToListAsync(cancellationToken);

    /// <summary>The villages the user may propose a new family in (the rows of <c>desa.csv</c>).</summary>
    public async Task<List<VillageRow>> VillageRowsAsync(string userName, AccessScope scope, CancellationToken cancellationToken)
    {
        var villages = await db.Regions.AsNoTracking().Where(r => r.Level == Regions.Region.Village)
            .Where(scope.VillageFilter<Regions.Region>(r => r.Code)).Select(r => new VillageRow(r.Code, r.Name)).ToListAsync(cancellationToken);
        var assigned = await Assigned(userName).Select(l => l.KodeDesa).Distinct().ToListAsync(cancellationToken);
        var names = await db.Regions.AsNoTracking().Where(r => assigned.Contains(r.Code)).Select(r => new VillageRow(r.Code, r.Name)).ToListAsync(cancellationToken);
        return [.. villages.Concat(names).DistinctBy(v => v.Code).OrderBy(v => v.Code, StringComparer.Ordinal)];
    }

    private async Task<string> FamiliesAsync(Input input, CancellationToken cancellationToken)
    {
        var rows = await FamilyRowsAsync(input.UserName, cancellationToken);
        var columns = FieldForms.VisitFamilyRules.Select(r => RegistryFields.FamilyColumn(r.Column)).ToList();
        var csv = new StringBuilder();
        // The address as shown (with RT and RW) has its own column: under "alamat" it came before the ALAMAT field's own
        // column of that name, the form pre-filled the house address from the first, and a visit that changed nothing
        // proposed "Dukuh Gondang RT 003 RW 002" as a new ALAMAT.
        csv.Append("name,label,no_kk,kepala,").Append(FieldForms.ShownAddressColumn);
        foreach (var rule in FieldForms.VisitFamilyRules)
        {
            csv.Append(',').Append(rule.Column.ToLowerInvariant());
        }
        csv.Append('\n');
        foreach (var row in rows)
        {
            csv.Append(row.LineId.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Csv.Quote(Label(row))).Append(',')
                // Masked as everywhere else for these roles: the form never reads it, and a lost phone would give whole KKs away.
                .Append(NoKk.Mask(row.Family.NoKk)).Append(',').Append(Csv.Quote(row.Head)).Append(',').Append(Csv.Quote(row.Address));
            foreach (var column in columns)
            {
                csv.Append(',').Append(Csv.Quote(RegistryColumns.Canonical(column.Get(row.Family))));
            }
            csv.Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>What the enumerator picks a family by: the head of family and the masked NO_KK.</summary>
    public static string Label(FamilyRow row) => $"{row.Head} ({NoKk.Mask(row.Family.NoKk)})";

    private async Task<string> MembersAsync(Input input, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder("name,baris,nama,kepala\n");
        foreach (var row in await MemberRowsAsync(input.UserName, cancellationToken))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Id},{row.LineId},").Append(Csv.Quote(row.Nama)).Append(row.Head ? ",1\n" : ",0\n");
        }
        return csv.ToString();
    }

    private async Task<string> VillagesAsync(Input input, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder("name,label\n");
        foreach (var village in await VillageRowsAsync(input.UserName, input.Scope, cancellationToken))
        {
            csv.Append(village.Code).Append(',').Append(Csv.Quote($"{village.Name} ({village.Code})")).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>The villages a user may propose a new family in (the rows of <c>desa.csv</c>).</summary>
    public async Task<bool> MayProposeInAsync(string kodeDesa, string userName, AccessScope scope, CancellationToken cancellationToken) =>
        (scope.CoversVillage(kodeDesa) && !(scope.Regions is { Count: 0 }))
        || await Assigned(userName).AnyAsync(l => l.KodeDesa == kodeDesa, cancellationToken);
}
