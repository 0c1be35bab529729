namespace Tuntas.Data;

/// <summary>
/// The long batch jobs (a registry import, a targeting run) build large state in one phase that is garbage in the next:
/// rows parsed and written, columns before grouping, a rule's intermediate columns. The runtime collects that garbage
/// late and keeps the memory it grew to, so the next phase's own peak (SQLite's index sort, the result rows) came on top
/// of it. Collected at once at the phase's end and handed back to the system instead — measured at the size of the
/// largest regencies (docs/benchmarks.md, "CLI start-up, targeting export and memory").
/// </summary>
public static class PhaseMemory
{
    public static void ReleaseTransients() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
