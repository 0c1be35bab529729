using Tuntas.Registry;

namespace Tuntas.Web.Display;

/// <summary>
/// A family picker (<c>Pages/Shared/_FamilyPicker.cshtml</c>, <c>wwwroot/js/family-picker.js</c>) in place of KK numbers
/// typed by hand: the forgiving search of <c>POST /api/families/search</c> (<see cref="FindFamilies"/>: a head's name
/// with typos or a KK number, within the reader's scope, audited as a read of personal data, KK numbers masked), whose
/// chosen families travel as ids in <paramref name="Field"/> and are read back on the server by
/// <see cref="PickedFamilies"/>. <paramref name="Picked"/> are the picks of a refused form, shown again.
/// <paramref name="RegionFrom"/> is a CSS selector of the form's village field that narrows the search (a need's
/// village). Without JavaScript the picker stays hidden and the typed field beside it does the work.
/// </summary>
public sealed record FamilyPicker(string Field, IReadOnlyList<PickedFamilies.Choice> Picked, bool Multiple, string? RegionFrom = null);
