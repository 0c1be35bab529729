using Tuntas.Registry.Exports;

namespace Tuntas.Web.Registry;

/// <summary>
/// A checked registry export (<see cref="RegistryExport"/>) ready to send, the same for the back office's download and
/// <c>GET /api/registry/export</c>: written first to a temporary file that deletes itself when the response has been
/// sent (an XLSX workbook is a ZIP package and needs a seekable stream; a regency's file never sits in memory).
/// </summary>
public static class RegistryFile
{
    public static async Task<FileStream> WriteAsync(HttpContext context, RegistryExport.Request request, TuntasDb db, TimeProvider clock,
        Tuntas.Regions.RegencyOptions regency, CancellationToken cancellationToken)
    {
        var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await RegistryExport.WriteAsync(request, db, clock, buffer, cancellationToken, regency);
            buffer.Position = 0;
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
        context.Response.Headers.CacheControl = "no-store";
        return buffer;
    }
}
