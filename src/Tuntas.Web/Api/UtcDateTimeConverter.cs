using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuntas.Web.Api;

/// <summary>
/// Stored times are UTC (ARCHITECTURE §3) but come back from the database without their kind, and were written without
/// an offset — not an RFC 3339 <c>date-time</c>, and read as local time by most clients. The API writes them with
/// <c>Z</c>; a time it reads with an offset is turned into UTC, one without is taken as UTC.
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetDateTime();
        return value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value)
            .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
