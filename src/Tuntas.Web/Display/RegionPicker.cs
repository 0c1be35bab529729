using Tuntas.Regions;

namespace Tuntas.Web.Display;

/// <summary>
/// A kecamatan → village picker (<c>Pages/Shared/_RegionPicker.cshtml</c>): one list grouped by kecamatan, each group
/// led by the whole kecamatan, found by typing its first letters. <paramref name="Field"/> is the form field's name.
/// </summary>
public sealed record RegionPicker(string Field, string? Selected, IReadOnlyList<RegionChoices.District> Choices, bool AllowAll = true);
