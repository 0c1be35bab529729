using Microsoft.AspNetCore.Http.Features;

namespace Tuntas.Web.Imports;

/// <summary>
/// Where uploads wait for the import worker and how large they may be: <c>Tuntas:Import:UploadPath</c> (default
/// <c>App_Data/uploads</c>) and <c>Tuntas:Import:MaxUploadMegabytes</c> (default 200: a regency of 1M persons as CSV).
/// </summary>
public sealed record UploadOptions(string Folder, long MaxBytes)
{
    public static UploadOptions FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var folder = configuration["Tuntas:Import:UploadPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path, contentRoot)
            : Path.Combine(contentRoot, "App_Data", "uploads");
        var megabytes = configuration.GetValue("Tuntas:Import:MaxUploadMegabytes", 200L);
        return new UploadOptions(folder, megabytes * 1024 * 1024);
    }

    /// <summary>The family import's uploads, page and API, each with its preview: the same file goes to both.</summary>
    private static readonly string[] _uploadPaths = ["/Impor", "/Impor/Pratinjau", "/api/families/import", "/api/families/import/preview"];

    /// <summary>Kestrel's default body limit is 30 MB; only the family import's upload endpoints get the larger limit.</summary>
    public static Task RaiseBodyLimitForUploadsAsync(HttpContext context, Func<Task> next)
    {
        if (HttpMethods.IsPost(context.Request.Method) &&
            Array.Exists(_uploadPaths, p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)) &&
            context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            var options = context.RequestServices.GetRequiredService<UploadOptions>();
            limit.MaxRequestBodySize = options.MaxBytes + (1024 * 1024);
        }
        return next();
    }
}
