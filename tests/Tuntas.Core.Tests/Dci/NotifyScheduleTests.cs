using System.Text.Json;
using Tuntas.Dci.Subscriptions;

namespace Tuntas.Core.Tests.Dci;

/// <summary>
/// The subscription's notify schedule (the standard's <c>frequency</c>, a cron expression in the regency's time): when a
/// change queued at a given time is told, and which frequencies are refused.
/// </summary>
public sealed class NotifyScheduleTests
{
    private static readonly TimeZoneInfo _wib = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
    private static readonly DateTime _now = new(2026, 12, 2, 3, 30, 0, DateTimeKind.Utc); // 10:30 WIB

    private static (NotifySchedule? Schedule, string? Refusal) Read(string cron, string start = "2026-12-01T00:00:00+07:00", string end = "2026-12-31T00:00:00+07:00") =>
        NotifySchedule.Read(JsonDocument.Parse(JsonSerializer.Serialize(new { frequency = new { start_time = start, end_time = end, frequency = cron } })).RootElement,
            _wib, _now);

    private static DateTime Utc(int day, int hour) => new(2026, 12, day, hour, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("0 7 * * *")] // five fields
    [InlineData("0 0 7 * * ?")] // six, seconds first
    [InlineData("0 0 7 * * ? *")] // the standard's seven (Quartz), year *
    public void Every_day_at_seven_wib_in_each_dialect(string cron)
    {
        var (schedule, refusal) = Read(cron);
        Assert.Null(refusal);
        // 10:30 WIB → tomorrow 07:00 WIB = 00:00 UTC; 06:00 WIB → 07:00 WIB the same day.
        Assert.Equal(Utc(3, 0), schedule!.DueAt(_now));
        Assert.Equal(Utc(3, 0), schedule.DueAt(Utc(2, 23)));
        // Queued exactly at the time: the next one (that batch may already be on its way).
        Assert.Equal(Utc(4, 0), schedule.DueAt(Utc(3, 0)));
    }

    [Fact]
    public void The_standards_example_the_5th_and_15th_at_midnight()
    {
        var (schedule, _) = Read("0 0 0 5,15 * ? *");
        Assert.Equal(Utc(4, 17), schedule!.DueAt(_now));
        Assert.Equal(Utc(14, 17), schedule.DueAt(Utc(4, 17)));
    }

    [Fact]
    public void Outside_its_span_a_change_is_told_at_once_and_the_last_period_ends_with_the_span()
    {
        var (schedule, _) = Read("0 7 * * *", end: "2026-12-05T12:00:00+07:00");
        var before = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc); // 19:00 WIB, before the span's start at 00:00 WIB
        Assert.Equal(before, schedule!.DueAt(before));
        Assert.Equal(Utc(6, 0), schedule.DueAt(Utc(6, 0)));
        // 5 Dec 08:00 WIB: the next 07:00 is after the span's end (12:00 WIB), so held until the end.
        Assert.Equal(Utc(5, 5), schedule.DueAt(Utc(5, 1)));
    }

    [Theory]
    [InlineData("tiap pagi")]
    [InlineData("0 7 * *")]
    [InlineData("0 0 7 * * ? 2027")] // a year is not offered
    [InlineData("61 7 * * *")]
    public void What_is_not_a_cron_expression_is_refused(string cron)
    {
        var (schedule, refusal) = Read(cron);
        Assert.Null(schedule);
        Assert.NotNull(refusal);
    }

    [Theory]
    [InlineData("2026-12-05T00:00:00+07:00", "2026-12-01T00:00:00+07:00")] // end before start
    [InlineData("2026-12-01T00:00:00", "2026-12-31T00:00:00+07:00")] // no offset
    [InlineData("2026-12-01T00:00:00+07:00", "2026-12-02T10:00:00+07:00")] // over before it would fire (now is 10:30 WIB)
    public void A_span_that_cannot_be_honoured_is_refused(string start, string end) =>
        Assert.NotNull(Read("0 7 * * *", start, end).Refusal);

    [Fact]
    public void No_frequency_is_no_schedule_and_a_bare_string_is_refused()
    {
        var (schedule, refusal) = NotifySchedule.Read(JsonDocument.Parse("""{"reg_event_type": "UPDATE"}""").RootElement, _wib, _now);
        Assert.Null(schedule);
        Assert.Null(refusal);
        Assert.NotNull(NotifySchedule.Read(JsonDocument.Parse("""{"frequency": "0 7 * * *"}""").RootElement, _wib, _now).Refusal);
    }
}
