using Tuntas.Registry;

namespace Tuntas.Web.Pages.Ekspor;

/// <summary>
/// The registry out in another system's layout (<see cref="Tuntas.Registry.Exports.RegistryExport"/>): a village, or every
/// village of the reader's scope, as OpenSID's population file or the DTKS workbook. The form names no person; the
/// download (<see cref="UnduhModel"/>) is the audited read. Only <see cref="RegistryPermissions.Export"/> (folder policy).
/// </summary>
public sealed class IndexModel(TuntasDb db) : PageModel
{
    [FromQuery(Name = "desa")]
    public string? Desa { get; set; }

    /// <summary>For one village (chosen, or a village operator's own): occupations its OpenSID file would leave empty,
    /// with how many persons hold each. Not read for a whole regency, where the list would cost a scan of every person
    /// on each visit of the form.</summary>
    public IReadOnlyList<(string Pekerjaan, int Persons)> UnknownOccupations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var scope = User.AccessScope();
        var village = Desa is { Length: > 0 } chosen ? Tuntas.Regions.RegionCode.ToDotted(chosen.Trim())
            : scope.Regions is [{ Length: 13 } own] ? own : null;
        // The picker lists villages by their dotted code: a link's 3314012001 selects its village, and a village the
        // reader may not export is not offered preselected.
        Desa = village is { Length: 13 } && scope.CoversVillage(village) ? village : null;
        if (Desa is not null)
        {
            UnknownOccupations = await new Tuntas.Registry.Exports.ExportOpenSid(db).UnknownOccupationsAsync(scope, Desa, cancellationToken);
        }
    }
}
