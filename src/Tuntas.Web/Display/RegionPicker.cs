using Tuntas.Regions;

namespace Tuntas.Web.Display;

/// <summary>
/// A kecamatan → village picker (<c>Pages/Shared/_RegionPicker.cshtml</c>) in place of a region code typed by hand: one
/// list grouped by kecamatan, each group led by the whole kecamatan (unless <paramref name="VillagesOnly"/>), found by
/// typing its first letters. <paramref name="Field"/> is the form field's name; <paramref name="Choices"/> null = the
/// regency's kecamatan and villages in the reader's scope, read by the partial. A stored value that is not among the
/// choices is kept as its own option, so that saving a form never changes it silently.
/// </summary>
public sealed record RegionPicker(string Field, string? Selected, IReadOnlyList<RegionChoices.District>? Choices = null,
    string Label = "Filter.Region", string Empty = "Filter.AllRegions", bool VillagesOnly = false, bool Required = false);
