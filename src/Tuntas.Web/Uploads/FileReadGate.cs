namespace Tuntas.Web.Uploads;

/// <summary>
/// How many uploaded files the web app reads at once in a request: a registry file's preview and a recipient list's
/// match run while the uploader waits (the import itself is queued, one at a time). Each may hold up to ~150 MB while it
/// reads — ExcelDataReader loads a workbook's shared strings whole, up to the 64 MiB the upload check allows — and a
/// probe's 40 previews at once took the web app to 6.9 GB. Beyond <see cref="Slots"/> a request waits its turn up to
/// <see cref="Wait"/>, then is answered "busy, try again" (<c>SERVER_BUSY</c>) without reading its file.
/// </summary>
public sealed class FileReadGate
{
    /// <summary>One read per core of a regency's small server (two on the reference machine), at least two.</summary>
    public static readonly int Slots = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Long enough for a few previews ahead to finish; short enough that the uploader is told.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;

    public FileReadGate()
        : this(Slots, Wait)
    {
    }

    public FileReadGate(int slots, TimeSpan wait) => (_slots, _wait) = (new SemaphoreSlim(slots, slots), wait);

    public static readonly Problem Busy = new("file", "SERVER_BUSY",
        "Server sedang membaca berkas lain; coba lagi sebentar lagi. Tidak ada yang ditulis.",
        "The server is reading other files; try again in a moment. Nothing was written.");

    /// <summary>The API answers <see cref="Busy"/> with 503 and this <c>Retry-After</c>: a few previews' time.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>The refusal is <see cref="Busy"/>: nothing wrong with the request, only its moment.</summary>
    public static bool IsBusy(Problem? refusal) => ReferenceEquals(refusal, Busy);

    /// <summary>Runs <paramref name="read"/> in a slot, or returns null when none came free within <see cref="Wait"/> (or
    /// <paramref name="wait"/>: a file already checked and taken for its commit waits as long as it takes).</summary>
    public async Task<T?> ReadAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken, TimeSpan? wait = null) where T : class
    {
        if (!await _slots.WaitAsync(wait ?? _wait, cancellationToken))
        {
            return null;
        }
        try
        {
            return await read();
        }
        finally
        {
            _slots.Release();
        }
    }
}
