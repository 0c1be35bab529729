using Tuntas.Registry;

namespace Tuntas.Programs;

/// <summary>
/// A program's recipients as the program page and <c>GET /api/programs/{code}/enrollments</c> list them: only families
/// in the reader's scope, narrowed by name and region, open enrollments first, then by the column asked (village by
/// default), 50 a page. The recipient named is the enrolled person, or the family head for a family-level benefit. NIK
/// and NO_KK (and the card number a recipient list gave) are masked unless the caller reveals them (<paramref name="fullIdentifiers"/>) — by an audited action of a
/// role that may see full identifiers, never by default (UU PDP 27/2022: least privilege).
/// </summary>
public static class ListEnrollments
{
    public const int PageSize = 50;

    public sealed record EnrollmentView(long Id, long FamilyId, long? PersonId, string Name, string? Nik, string NoKk, string KodeDesa, string Status,
        DateOnly StartedOn, DateOnly? EndedOn, string? ExitReason, string? NomorKartu = null);

    public sealed record EnrollmentPage(string Program, int Page, int PageSize, int Total, IReadOnlyList<EnrollmentView> Items);

    public sealed record EventView(long Id, long EnrollmentId, string Status, string? Reason, DateOnly EffectiveOn, string? Note, string RecordedBy, DateTime RecordedAt);

    /// <summary>What narrows and orders the list: part of a recipient's name (any member of the family, spelling forgiven), a
    /// region code (a kecamatan or a village), and the order — <see cref="Sorts"/>.</summary>
    public sealed record Filter(string? Name = null, string? Region = null, string? Sort = null)
    {
        public static readonly Filter None = new();
    }

    /// <summary>Orders a list may be sorted by: village (default), name, start date (newest first), status.</summary>
    public static readonly IReadOnlyList<string> Sorts = ["desa", "nama", "mulai", "status"];

    public static async Task<EnrollmentPage> RunAsync(TuntasDb db, ProgramCatalogue.ProgramView program, AccessScope scope, bool fullIdentifiers, int page,
        CancellationToken cancellationToken, Filter? filter = null)
    {
        filter ??= Filter.None;
        var families = scope.Apply(db.Families);
        if (filter.Region is { Length: > 0 } region)
        {
            var prefix = region.Trim() + ".";
            families = families.Where(f => f.KodeDesa == region.Trim() || f.KodeDesa.StartsWith(prefix));
        }
        var query = db.Enrollments.AsNoTracking().Where(e => e.ProgramId == program.Id)
            .Join(families, e => e.FamilyId, f => f.Id, (e, f) => new { e, f });
        // The registry's spelling-tolerant name key (NameKey): "sri lestary" finds "Sri Lestari", "Djono" finds "Jono".
        if (NameKey.For(filter.Name) is { Length: > 0 } key)
        {
            query = query.Where(x => db.Persons.Any(p => p.FamilyId == x.f.Id && p.NamaKunci.Contains(key)));
        }
        var total = await query.CountAsync(cancellationToken);
        page = Math.Max(1, page);
        var open = query.OrderBy(x => x.e.Status == ProgramTerms.Exited);
        var ordered = filter.Sort switch
        {
            "nama" => open.ThenBy(x => db.Persons.Where(p => p.Id == x.e.PersonId || (x.e.PersonId == null && p.FamilyId == x.e.FamilyId))
                .OrderBy(p => p.HubunganKk).ThenBy(p => p.Id).Select(p => p.Nama).FirstOrDefault()),
            "mulai" => open.ThenByDescending(x => x.e.StartedOn),
            "status" => open.ThenBy(x => x.e.Status),
            _ => open.ThenBy(x => x.f.KodeDesa),
        };
        var rows = await ordered.ThenBy(x => x.e.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(x => new
            {
                x.e.Id,
                x.e.FamilyId,
                x.e.PersonId,
                x.f.NoKk,
                x.f.KodeDesa,
                x.e.Status,
                x.e.StartedOn,
                x.e.EndedOn,
                x.e.ExitReason,
                x.e.NomorKartu,
                Person = db.Persons.Where(p => p.Id == x.e.PersonId).Select(p => new { p.Nama, p.Nik }).FirstOrDefault(),
                Head = db.Persons.Where(p => p.FamilyId == x.e.FamilyId).OrderBy(p => p.HubunganKk).ThenBy(p => p.Id).Select(p => new { p.Nama, p.Nik }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        IReadOnlyList<EnrollmentView> items = [.. rows.Select(r =>
        {
            var who = r.Person ?? r.Head;
            return new EnrollmentView(r.Id, r.FamilyId, r.PersonId, who?.Nama ?? "", who is null ? null : fullIdentifiers ? who.Nik : Nik.Mask(who.Nik),
                fullIdentifiers ? r.NoKk : NoKk.Mask(r.NoKk), r.KodeDesa, r.Status, r.StartedOn, r.EndedOn, r.ExitReason,
                fullIdentifiers ? r.NomorKartu : RecipientListFields.Mask(r.NomorKartu));
        })];
        return new EnrollmentPage(program.Code, page, PageSize, total, items);
    }

    /// <summary>Every status change of the given enrollments, oldest first, by enrollment.</summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyList<EventView>>> HistoryAsync(TuntasDb db, IReadOnlyList<long> enrollmentIds, CancellationToken cancellationToken)
    {
        var ids = enrollmentIds.ToList();
        var events = await db.EnrollmentEvents.AsNoTracking().Where(ev => ids.Contains(ev.EnrollmentId)).OrderBy(ev => ev.RecordedAt).ThenBy(ev => ev.Id)
            .ToListAsync(cancellationToken);
        return events.GroupBy(ev => ev.EnrollmentId).ToDictionary(g => g.Key, g => (IReadOnlyList<EventView>)[.. g.Select(ev =>
            new EventView(ev.Id, ev.EnrollmentId, ev.Status, ev.Reason, ev.EffectiveOn, ev.Note, ev.RecordedBy, ev.RecordedAt))]);
    }

    /// <summary>
    /// Whether the reader may change this enrollment: its family is in the reader's scope (a village operator: their
    /// village's) and its program is one the reader manages (an agency officer: its own OPD's, <see cref="ProgramOwnership"/>).
    /// </summary>
    public static async Task<bool> MayChangeAsync(TuntasDb db, long enrollmentId, AccessScope scope, string role, string? organization,
        CancellationToken cancellationToken)
    {
        var owner = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
            .Join(scope.Apply(db.Families), e => e.FamilyId, f => f.Id, (e, f) => e.ProgramId)
            .Join(db.Programs, id => id, p => p.Id, (_, p) => p.OwnerName)
            .FirstOrDefaultAsync(cancellationToken);
        return owner is not null && ProgramOwnership.MayManage(role, organization, owner);
    }
}
