using Microsoft.Net.Http.Headers;
using Tuntas.Attachments;

namespace Tuntas.Web.Attachments;

/// <summary>
/// How every attachment leaves the server — a complaint's (page) and a commitment step's evidence (page and API),
/// after the caller checked the reader may see it: the Content-Type and the file name's extension come from the
/// stored file's detected type (<see cref="AttachmentStore.Open"/>, re-read now, so a row written before names were
/// derived is served safely too), always as a download (<c>Content-Disposition: attachment</c>), with
/// <c>X-Content-Type-Options: nosniff</c> so no browser second-guesses the type (OWASP ASVS 12.5.2, 14.4.4).
/// </summary>
public static class AttachmentDownload
{
    public sealed record File(string Path, string ContentType, string DownloadName);

    /// <summary>The file to send, with the response's headers set; null when it is missing or not an allowed type.</summary>
    public static File? Prepare(HttpResponse response, AttachmentStore store, string storedName, string? fileName)
    {
        if (store.Open(storedName) is not var (path, type))
        {
            return null;
        }
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        var name = AttachmentRules.DownloadName(fileName, type);
        return new File(path, type.ContentType, name);
    }

    /// <summary>The Content-Disposition value of <paramref name="file"/> (what PhysicalFile with a download name writes).</summary>
    public static string Disposition(File file)
    {
        var header = new ContentDispositionHeaderValue("attachment");
        header.SetHttpFileName(file.DownloadName);
        return header.ToString();
    }
}
