namespace Tuntas.Web;

/// <summary>
/// Marker for the UI texts in <c>Resources/SharedResource.resx</c> (Bahasa Indonesia, the default) and
/// <c>SharedResource.en.resx</c> (English). Inject <c>IStringLocalizer&lt;SharedResource&gt;</c>.
/// </summary>
public sealed class SharedResource;
