using System.Text.Json;
using Tuntas.Audit;
using Tuntas.Dci;
using Tuntas.Dci.Signatures;

namespace Tuntas.Web.Dci;

/// <summary>
/// Checks the <c>signature</c> of every DCI message a client sends (<see cref="CheckSignature"/>) before the route reads
/// it: a client that registered a signing key and sends an unsigned, wrongly signed or expired message gets
/// <c>401 {"errors": [{"code": "err.signature.missing" | "err.signature.invalid"}]}</c>, an audit entry
/// (<c>akses-ditolak</c>), and nothing of the message is acted on. The body is buffered so the route reads it again.
/// </summary>
public sealed class DciSignatureFilter : IEndpointFilter
{
    private const int MaxBody = 1_000_000;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var clientId = DciAsyncApi.ClientId(http.User);
        if (clientId < 0)
        {
            return await next(context);
        }
        var request = http.Request;
        request.EnableBuffering(MaxBody);
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = buffer.ToArray();
        }
        request.Body.Position = 0;
        string? signature = null, sender = null;
        ReadOnlyMemory<byte> header = default, message = default;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                signature = root.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (root.TryGetProperty("header", out var h))
                {
                    header = System.Text.Encoding.UTF8.GetBytes(h.GetRawText());
                    sender = h.ValueKind == JsonValueKind.Object && h.TryGetProperty("sender_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                }
                if (root.TryGetProperty("message", out var m))
                {
                    message = System.Text.Encoding.UTF8.GetBytes(m.GetRawText());
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the route answers err.request.bad; a signature cannot have been made over it anyway.
        }
        var input = new CheckSignature.Input(clientId, signature, sender, header, message);
        var checker = http.RequestServices.GetRequiredService<CheckSignature>();
        var check = DciAuthentication.BearerClient(http) is { } read && read.Client.Id == clientId
            ? checker.Check(input, read.Key)
            : await checker.RunAsync(input, http.RequestAborted);
        if (check.Code is null)
        {
            return await next(context);
        }
        var audit = http.RequestServices.GetRequiredService<AuditWriter>();
        await audit.AppendAsync(new AppendAudit.Input(http.User.Identity?.Name ?? "?", AuditActions.AccessDenied, "rute", request.Path,
            $"{request.Method} {request.Path} — DCI tanda tangan / signature: {check.Code} ({check.Reason})",
            http.User.FindFirstValue(ClaimTypes.Role), http.Connection.RemoteIpAddress?.ToString() ?? "tidak-diketahui"));
        return Results.Json(DciErrorResponse.Of(check.Code, "The message signature was refused: " + check.Reason + "."), DciJson.Json,
            statusCode: StatusCodes.Status401Unauthorized);
    }
}
