using System.Runtime.InteropServices;

namespace Tuntas.Data;

/// <summary>
/// The few SQLite calls a bulk insert makes per value, declared on the raw statement pointer. SQLitePCL's wrappers take
/// the statement as a <see cref="SafeHandle"/>, which costs a reference count up and down and a GC transition on every
/// call: 45 binds per person, 1.3 million rows in a 1,000,000-person first load, and that overhead was a large part of
/// the writer's time (docs/benchmarks.md, "Import"). The binds only copy a value into the statement and never block or
/// call back, the case <see cref="SuppressGCTransitionAttribute"/> is for; stepping may write pages, so it keeps its
/// transition. Same library as Microsoft.Data.Sqlite's (<c>e_sqlite3</c>, resolved from the application's native
/// assets), so the statement pointer of its connection is valid here.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_STATIC: the text stays where it is until the parameter is bound again or the statement finalized.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    [DllImport(Library, EntryPoint = "sqlite3_bind_null"), SuppressGCTransition]
    public static extern int BindNull(IntPtr statement, int index);

    [DllImport(Library, EntryPoint = "sqlite3_bind_int64"), SuppressGCTransition]
    public static extern int BindInt64(IntPtr statement, int index, long value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_double"), SuppressGCTransition]
    public static extern int BindDouble(IntPtr statement, int index, double value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_text"), SuppressGCTransition]
    public static extern int BindText(IntPtr statement, int index, IntPtr utf8, int length, IntPtr destructor);

    [DllImport(Library, EntryPoint = "sqlite3_step")]
    public static extern int Step(IntPtr statement);

    [DllImport(Library, EntryPoint = "sqlite3_reset")]
    public static extern int Reset(IntPtr statement);
}
