using System.Diagnostics.Tracing;
using System.Globalization;

namespace Tuntas.Bench;

/// <summary>
/// The runtime's own allocation samples (the GC's AllocationTick event: one about every 100 KB allocated, naming the
/// type that crossed the mark), summed per type: where an import's gigabytes of allocation come from, without a
/// profiler. Sampled, so the bytes are estimates (each sample stands for the ~100 KB before it).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTick = 10;
    private readonly Dictionary<string, (long Samples, long Bytes)> _byType = [];
    private readonly Lock _gate = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTick || e.PayloadNames is null)
        {
            return;
        }
        var type = e.Payload![e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var bytes = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _byType.TryGetValue(type, out var sum);
            _byType[type] = (sum.Samples + 1, sum.Bytes + bytes);
        }
    }

    /// <summary>The types that took the most sampled bytes, largest first.</summary>
    public IEnumerable<string> Top(int count)
    {
        lock (_gate)
        {
            var total = _byType.Values.Sum(v => v.Bytes);
            return [.. _byType.OrderByDescending(p => p.Value.Bytes).Take(count)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value.Bytes / 1048576.0,8:N0} MB {100.0 * p.Value.Bytes / total,5:0.0} %  {p.Key}"))];
        }
    }
}
