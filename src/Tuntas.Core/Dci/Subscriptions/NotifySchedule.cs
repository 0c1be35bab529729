using Cronos;

namespace Tuntas.Dci.Subscriptions;

/// <summary>
/// A subscription's notify schedule: the standard's <c>subscribe_criteria.frequency</c> (registry_core_api_v1.0.0,
/// <c>EventFrequency</c>: <c>{start_time, end_time, frequency}</c>, the frequency "in the form of cron expression"). A
/// change queued inside the span is held until the expression's next time after it, so the changes of one period go out
/// together (in batches of <see cref="DeliverNotifications.BatchSize"/>) at that time; one queued outside the span — or
/// for a subscription without a frequency — is told as it happens. The last period of the span ends at
/// <c>end_time</c>: what is held then goes out then, not at a time after the span.
/// <para>
/// The expression is read with Cronos in the regency's time zone (a subscriber in Sragen who asks for <c>0 7 * * *</c>
/// means 07:00 WIB). Five fields (<c>minute hour day month weekday</c>), six with seconds first, or the standard's own
/// example's seven (Quartz: seconds first, a year last — only <c>*</c> or nothing there, a schedule is not a calendar).
/// <c>?</c> is "any", as in the example. Weekday numbers are cron's (0 or 7 Sunday, 1 Monday …); names (<c>MON</c>)
/// are the same in every dialect.
/// </para>
/// </summary>
public sealed class NotifySchedule
{
    private readonly CronExpression _cron;
    private readonly TimeZoneInfo _zone;

    private NotifySchedule(string expression, CronExpression cron, DateTime? start, DateTime? end, TimeZoneInfo zone)
    {
        (Expression, _cron, Start, End, _zone) = (expression, cron, start, end, zone);
    }

    public string Expression { get; }

    /// <summary>UTC; null: from the start.</summary>
    public DateTime? Start { get; }

    /// <summary>UTC; null: no end.</summary>
    public DateTime? End { get; }

    /// <summary>The schedule of a stored subscription; null when it has none (or its expression no longer reads).</summary>
    public static NotifySchedule? Of(DciSubscription subscription, TimeZoneInfo zone) =>
        subscription.Frequency is { } text && Parse(text) is { } cron
            ? new NotifySchedule(text, cron, subscription.FrequencyStart, subscription.FrequencyEnd, zone)
            : null;

    /// <summary>
    /// Reads the criteria's <c>frequency</c> object; (null, null) when there is none, (null, reason) when it cannot be
    /// honoured: an expression Cronos does not read, a year field other than <c>*</c>, a time without its offset, an
    /// <c>end_time</c> not after <c>start_time</c>, or an expression that never fires inside the span.
    /// </summary>
    public static (NotifySchedule? Schedule, string? Refusal) Read(JsonElement criteria, TimeZoneInfo zone, DateTime nowUtc)
    {
        if (criteria.ValueKind != JsonValueKind.Object || !criteria.TryGetProperty("frequency", out var frequency) || frequency.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }
        if (frequency.ValueKind != JsonValueKind.Object || SearchCriteria.Text(frequency, "frequency") is not { Length: > 0 } text)
        {
            return (null, "frequency must be an object {start_time, end_time, frequency} with a cron expression.");
        }
        if (Parse(text) is not { } cron)
        {
            return (null, "frequency.frequency is not a cron expression Tuntas reads (5 fields, 6 with seconds, or 7 with a year of *).");
        }
        DateTime? Time(string name, out bool bad)
        {
            bad = false;
            if (SearchCriteria.Text(frequency, name) is not { } value)
            {
                return null;
            }
            if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) || !SyncSearch.HasOffset(value))
            {
                bad = true;
                return null;
            }
            return at.UtcDateTime;
        }
        var start = Time("start_time", out var badStart);
        var end = Time("end_time", out var badEnd);
        if (badStart || badEnd)
        {
            return (null, "frequency.start_time and end_time must be ISO 8601 times with their offset.");
        }
        if (start is { } s && end is { } e && e <= s)
        {
            return (null, "frequency.end_time must be after start_time.");
        }
        var from = DateTime.SpecifyKind(start is { } begin && begin > nowUtc ? begin : nowUtc, DateTimeKind.Utc);
        if (end is { } last && (cron.GetNextOccurrence(from, zone) is not { } first || first > last))
        {
            return (null, "frequency never fires between start_time and end_time.");
        }
        return (new NotifySchedule(text, cron, start, end, zone), null);
    }

    /// <summary>
    /// When a change queued at <paramref name="queuedUtc"/> is to be told: the expression's next time after it inside the
    /// span (at most <see cref="End"/>), or at once outside the span.
    /// </summary>
    public DateTime DueAt(DateTime queuedUtc)
    {
        var at = DateTime.SpecifyKind(queuedUtc, DateTimeKind.Utc);
        if ((Start is { } start && at < start) || (End is { } end && at >= end))
        {
            return at;
        }
        var next = _cron.GetNextOccurrence(at, _zone);
        return End is { } last && (next is null || next > last) ? last : next ?? at;
    }

    private static CronExpression? Parse(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length == 7)
        {
            // Quartz's year field: a schedule limited to some years is not offered.
            if (fields[6] != "*")
            {
                return null;
            }
            fields = fields[..6];
        }
        var format = fields.Length switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => (CronFormat?)null,
        };
        return format is { } f && CronExpression.TryParse(string.Join(' ', fields), f, out var cron) ? cron : null;
    }
}
