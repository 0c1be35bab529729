using Tuntas.Verivali;

namespace Tuntas.Web.Verivali;

/// <summary>
/// Where a visit photo is downloaded: the API's photo route, which checks the reader's scope and audits the read, for
/// the back office's pages and the API's line views alike.
/// </summary>
public static class PhotoLinks
{
    public static string Of(LinePhotos.Photo photo) => string.Create(CultureInfo.InvariantCulture, $"/api/verivali/lines/{photo.LineId}/photos/{photo.Key}");
}
