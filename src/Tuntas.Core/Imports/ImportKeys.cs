namespace Tuntas.Imports;

/// <summary>
/// A set of 16-digit keys (NIK, NO_KK) each with an <c>int</c> value, for the import's per-row bookkeeping: open
/// addressing in two flat arrays, 12 bytes a slot. A <see cref="Dictionary{TKey, TValue}"/> of the same keys costs about
/// 28 bytes an entry plus an object per resize, and the import holds one entry per person of the file (the target: a
/// 5.5-million-person file within 1 GB, docs/benchmarks.md). Keys are never negative (they are digits), so -1 marks a free slot.
/// </summary>
internal sealed class LongIntMap
{
    private const long Free = -1;
    private long[] _keys;
    private int[] _values;
    private int _mask;

    public LongIntMap(int capacity = 1024)
    {
        var size = 16;
        while (size < capacity * 4L / 3 + 1)
        {
            size <<= 1;
        }
        _keys = new long[size];
        _values = new int[size];
        Array.Fill(_keys, Free);
        _mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Adds the key with its value; false (and <paramref name="existing"/> set) when the key is already there.</summary>
    public bool TryAdd(long key, int value, out int existing)
    {
        var slot = Find(key);
        if (_keys[slot] == key)
        {
            existing = _values[slot];
            return false;
        }
        _keys[slot] = key;
        _values[slot] = value;
        existing = 0;
        if (++Count * 4L > _keys.Length * 3L)
        {
            Grow();
        }
        return true;
    }

    public bool TryGetValue(long key, out int value)
    {
        var slot = Find(key);
        value = _values[slot];
        return _keys[slot] == key;
    }

    public bool ContainsKey(long key) => _keys[Find(key)] == key;

    /// <summary>The slot holding the key, or the free slot where it would go (linear probing; the table is never full).</summary>
    private int Find(long key)
    {
        // Fibonacci hashing spreads the sequential serials of NIKs of one village over the table.
        var slot = (int)((ulong)(key * -7046029254386353131L) >> 32) & _mask;
        while (_keys[slot] != key && _keys[slot] != Free)
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    private void Grow()
    {
        var keys = _keys;
        var values = _values;
        _keys = new long[keys.Length * 2];
        _values = new int[keys.Length * 2];
        Array.Fill(_keys, Free);
        _mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != Free)
            {
                var slot = Find(keys[i]);
                _keys[slot] = keys[i];
                _values[slot] = values[i];
            }
        }
    }
}

/// <summary>
/// A growable array in fixed chunks: no copy of everything and no doubled peak when it grows, which matters for the
/// per-family column hashes (38 a family, 1.7 million families at 5.5 million persons).
/// </summary>
internal sealed class ChunkedArray<T>(int width = 1)
{
    private const int ChunkShift = 12;
    private const int ChunkRows = 1 << ChunkShift;
    private readonly List<T[]> _chunks = [];

    public int Width { get; } = width;

    /// <summary>The <see cref="Width"/> values of row <paramref name="index"/>; rows are created as they are asked for.</summary>
    public Span<T> Row(int index)
    {
        var chunk = index >> ChunkShift;
        while (_chunks.Count <= chunk)
        {
            _chunks.Add(new T[ChunkRows * Width]);
        }
        return _chunks[chunk].AsSpan((index & (ChunkRows - 1)) * Width, Width);
    }

    public ref T this[int index] => ref Row(index)[0];
}

/// <summary>
/// What pass 1 learns of each family of the file, by ordinal (the order in which the file first names it): parallel
/// arrays in chunks instead of an object, a column-hash array and a dictionary entry per family (docs/benchmarks.md, "Import speed and memory").
/// </summary>
internal sealed class FileFamilies(int columns, int expectedFamilies = 1024)
{
    [Flags]
    private enum Flag : byte
    {
        None = 0,
        Exists = 1,
        Changed = 2,
        /// <summary>Only family-only rows so far: an existing family whose fields are updated, its members untouched.</summary>
        FamilyOnly = 4,
    }

    private readonly LongIntMap _ordinals = new(expectedFamilies);

    /// <summary>
    /// One byte per family column, folded from its hash: enough to name the columns in which a later row of the same
    /// NO_KK differs from the first (the full family hash decides whether it differs at all). Four bytes per column were
    /// 42 × 4 bytes per family, 282 MB at the 1.68 million families of the largest regency, the biggest single part of a
    /// re-import's memory (docs/benchmarks.md, "CLI start-up, targeting export and memory").
    /// </summary>
    private readonly ChunkedArray<byte> _columnFingerprints = new(columns);
    private readonly ChunkedArray<long> _noKk = new();
    private readonly ChunkedArray<long> _firstRow = new();
    private readonly ChunkedArray<long> _hash = new();
    private readonly ChunkedArray<long> _id = new();
    private readonly ChunkedArray<long> _headRow = new();
    private readonly ChunkedArray<Flag> _flags = new();
    private readonly ChunkedArray<byte> _heads = new();

    public int Count { get; private set; }

    public bool TryGet(long noKk, out int ordinal) => _ordinals.TryGetValue(noKk, out ordinal);

    public bool Contains(long noKk) => _ordinals.ContainsKey(noKk);

    public int Add(long noKk, long firstRow, ReadOnlySpan<int> columnHashes, long hash, long id, bool exists, bool changed, bool familyOnly)
    {
        var ordinal = Count++;
        _ordinals.TryAdd(noKk, ordinal, out _);
        var fingerprints = _columnFingerprints.Row(ordinal);
        for (var i = 0; i < columnHashes.Length; i++)
        {
            fingerprints[i] = Fingerprint(columnHashes[i]);
        }
        _noKk[ordinal] = noKk;
        _firstRow[ordinal] = firstRow;
        _hash[ordinal] = hash;
        _id[ordinal] = id;
        _flags[ordinal] = (exists ? Flag.Exists : Flag.None) | (changed ? Flag.Changed : Flag.None) | (familyOnly ? Flag.FamilyOnly : Flag.None);
        return ordinal;
    }

    public long NoKk(int ordinal) => _noKk[ordinal];

    public long FirstRow(int ordinal) => _firstRow[ordinal];

    public long Hash(int ordinal) => _hash[ordinal];

    public long Id(int ordinal) => _id[ordinal];

    /// <summary>Whether family column <paramref name="column"/> of a row with the hash <paramref name="hash"/> differs
    /// from the family's first row. Exact when it says so; one differing column in 256 folds to the same byte and is not
    /// named (the caller still reports the row).</summary>
    public bool Differs(int ordinal, int column, int hash) => _columnFingerprints.Row(ordinal)[column] != Fingerprint(hash);

    private static byte Fingerprint(int hash) => (byte)(hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24));

    public bool Exists(int ordinal) => (_flags[ordinal] & Flag.Exists) != 0;

    public bool Changed(int ordinal) => (_flags[ordinal] & Flag.Changed) != 0;

    public bool FamilyOnly(int ordinal) => (_flags[ordinal] & Flag.FamilyOnly) != 0;

    /// <summary>A registered family whose row is as registered but whose members change (a person moves in or out):
    /// updated in the report, not unchanged.</summary>
    public void MembersChanged(int ordinal) => _flags[ordinal] |= Flag.Changed;

    public void HasMembers(int ordinal) => _flags[ordinal] &= ~Flag.FamilyOnly;

    /// <summary>The family's heads in the file, living or not (the low four bits of <c>_heads</c>).</summary>
    public int Heads(int ordinal) => _heads[ordinal] & 0x0F;

    /// <summary>The family's living heads in the file so far.</summary>
    public int LivingHeads(int ordinal) => _heads[ordinal] >> 4;

    /// <summary>The row of the family's last living head.</summary>
    public long HeadRow(int ordinal) => _headRow[ordinal];

    /// <summary>
    /// Counts a head of family (HUBUNGAN_KK = 1) at <paramref name="row"/>, and a living one apart (the high four bits;
    /// each count stops at 15: only "none", "one" and "a second" matter). Returns how many living heads the family has
    /// now, 0 for a head who is not living. A head who died or moved still gives the family a head (it is imported
    /// with HEAD_NOT_LIVING), but is no second head beside the member named head after them: the registry's own rule
    /// (<see cref="Registry.RegistryWriter"/> counts living members only), so the village's file after the back office
    /// recorded the death and named the widow head is not refused as a family with two heads.
    /// </summary>
    public int AddHead(int ordinal, long row, bool living)
    {
        ref var heads = ref _heads[ordinal];
        var (all, alive) = (heads & 0x0F, heads >> 4);
        all = Math.Min(all + 1, 15);
        if (living)
        {
            alive = Math.Min(alive + 1, 15);
            _headRow[ordinal] = row;
        }
        heads = (byte)((alive << 4) | all);
        return living ? alive : 0;
    }

    /// <summary>The ordinal of the file's family with this id, or -1 (a scan: only for a person's move, a rare event).</summary>
    public int OrdinalOfId(long id)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_id[i] == id)
            {
                return i;
            }
        }
        return -1;
    }
}
