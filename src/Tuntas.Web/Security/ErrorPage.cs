using System.Net;

namespace Tuntas.Web.Security;

/// <summary>
/// The back office's answer to an exception: a complete page written here, in both languages, without running the
/// pipeline again. Re-executing a Razor error page passes the account check and the layout again, which read the
/// database — so in a database outage, exactly when errors happen, the error page itself failed and the user got an
/// empty 500 (OWASP ASVS 7.4.1: a generic message with a reference, never a blank or a stack trace).
/// </summary>
public static class ErrorPage
{
    public static async Task WriteAsync(HttpContext context)
    {
        var status = context.Response.StatusCode is >= 400 and < 500 ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var reference = WebUtility.HtmlEncode(System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier);
        var (id, en) = status is >= 400 and < 500
            ? ("Permintaan ditolak: isian tidak dapat dibaca atau berisi karakter yang tidak sah. Periksa isian lalu kirim lagi.",
               "Request refused: the input cannot be read or holds a character that is not allowed. Check it and send it again.")
            : ("Permintaan tidak dapat diproses. Silakan coba lagi; jika berulang, hubungi administrator.",
               "The request could not be processed. Please try again; if it keeps happening, contact your administrator.");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="id">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Terjadi kesalahan · Tuntas</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main>
            <h1>{(status == 500 ? "Terjadi kesalahan" : "Permintaan ditolak")}</h1>
            <p>{id}</p>
            <p lang="en">{en}</p>
            <p class="note">Nomor rujukan / Reference: {reference}</p>
            <p><a href="/">Beranda / Home</a></p>
            </main></body>
            </html>
            """);
    }
}
