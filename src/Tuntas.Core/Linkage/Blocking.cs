namespace Tuntas.Linkage;

/// <summary>
/// Blocking (Christen 2012, ch. 4; Splink's "blocking rules"): only pairs that share a key under at least one rule are
/// compared. Several rules, each on different fields, so that one wrong field does not hide a pair — a NIK typo is caught
/// by the name and birth-date keys, a misspelt name by the NIK keys, a swapped day/month by the name+village key:
/// <list type="number">
/// <item><c>name</c>: phonetic key of the first and last name token (or given name + surname); in a table of more than
/// <see cref="LargeTable"/> records the whole name's key within the kecamatan;</item>
/// <item><c>birthDate</c>: the birth date with day and month in ascending order, so a swapped date shares the key (with the
/// kecamatan when a region is mapped, to keep blocks small);</item>
/// <item><c>nik</c>, <c>nik-drop-one</c>, <c>nik-prefix</c>: the NIK; each of the 15-digit strings left after dropping one
/// digit (shared by two NIKs one substitution or one adjacent swap apart), with the name's initial; the first 12 digits of a real NIK (region of
/// registration + birth date, DOMAIN §4.1);</item>
/// <item><c>idNumber</c>, <c>idNumber-drop-one</c>: the same for any other identity number;</item>
/// <item><c>kk-name</c>: the NO_KK with the first name's key (the same person twice in one family);</item>
/// <item><c>name-year</c>, <c>surname-year</c>: one name key with the birth year (in a table of more than
/// <see cref="LargeTable"/> records: both name keys with the birth year, and the <c>name</c> key within the kecamatan);</item>
/// <item><c>address</c>: postcode + street number; <c>region-name</c>: the village with the whole name's key (a wrong birth date).</item>
/// </list>
/// A pair found by several rules is compared once. Blocks whose pair count exceeds <see cref="MaxBlockPairs"/> are
/// skipped and counted (a key shared by thousands, such as a blank-ish value, says nothing).
/// </summary>
public static class Blocking
{
    public const long MaxBlockPairs = 250_000;

    /// <summary>Above this many records the name keys are narrowed (see <see cref="RulesFor"/>).</summary>
    public const int LargeTable = 100_000;

    private static readonly AsyncLocal<Action<string>?> _progress = new();

    /// <summary>
    /// Where progress lines go (the CLI's standard error, the bench's log); null = silent. It belongs to the flow that set
    /// it (an <see cref="AsyncLocal{T}"/>): two runs in one process — the web host, the test runner — never write into
    /// each other's log.
    /// </summary>
    public static Action<string>? Progress
    {
        get => _progress.Value;
        set => _progress.Value = value;
    }

    public sealed record Rule(string Name, Action<LinkageTable, int, List<string>> Keys);

    public sealed record Outcome(CandidateSet Pairs, IReadOnlyDictionary<string, long> PairsPerRule, long SkippedBlocks);

    /// <summary>
    /// The candidate pairs, <c>(indexA &lt;&lt; 32) | indexB</c>, in buckets by the high bits of indexA: each bucket sorted and
    /// distinct, the buckets in order, so the whole is sorted. Buckets rather than one array: a million persons give tens of
    /// millions of pairs, and one array grown by doubling held three times their size while it was copied.
    /// </summary>
    public sealed class CandidateSet(long[][] buckets)
    {
        public long[][] Buckets { get; } = buckets;
        public long Count { get; } = buckets.Sum(b => (long)b.Length);
    }

    /// <summary>The rules that the config's kinds allow, in the order above.</summary>
    public static IReadOnlyList<Rule> RulesFor(IReadOnlyList<FieldKind> kinds, int records)
    {
        int F(FieldKind kind) => kinds.ToList().IndexOf(kind);
        var full = F(FieldKind.FullName);
        var given = F(FieldKind.GivenName);
        var surname = F(FieldKind.Surname);
        var birth = F(FieldKind.BirthDate);
        var nik = F(FieldKind.Nik);
        var kk = F(FieldKind.NoKk);
        var id = F(FieldKind.IdNumber);
        var postcode = F(FieldKind.Postcode);
        var street = F(FieldKind.StreetNumber);
        var region = F(FieldKind.Region);
        var rules = new List<Rule>();

        (string First, string Last) Names(LinkageTable t, int r)
        {
            if (full >= 0)
            {
                var (first, last) = IndonesianName.FirstAndLast(t.Values[full][r] ?? "");
                return (first.Length > 0 ? IndonesianName.PhoneticKey(first) : "", last.Length > 0 ? IndonesianName.PhoneticKey(last) : "");
            }
            var g = given >= 0 ? IndonesianName.FirstAndLast(t.Values[given][r] ?? "").First : "";
            var s = surname >= 0 ? t.Values[surname][r] ?? "" : "";
            return (g.Length > 0 ? IndonesianName.PhoneticKey(g) : "", s.Length > 0 ? IndonesianName.PhoneticKey(s) : "");
        }

        // A big registry (Indonesian names repeat: Sri, Siti, Muhammad) narrows the name keys by the kecamatan or the
        // birth year, so blocks stay small enough for a million persons in minutes.
        var large = records > LargeTable;
        if (full >= 0 || given >= 0 || surname >= 0)
        {
            rules.Add(new("name", (t, r, keys) =>
            {
                if (large && region >= 0 && full >= 0)
                {
                    if (t.Values[full][r] is { } name)
                    {
                        keys.Add(Registry.NameKey.For(name) + "|" + Prefix(t.Values[region][r], 8));
                    }
                    return;
                }
                var (first, last) = Names(t, r);
                if (first.Length > 0 && (last.Length > 0 || full >= 0))
                {
                    keys.Add(first + "|" + last);
                }
            }));
        }
        if (birth >= 0)
        {
            // A big registry blocks the birth date within the kecamatan (first 8 characters of the village code).
            var withRegion = region >= 0 && large;
            rules.Add(new("birthDate", (t, r, keys) =>
            {
                if (t.Values[birth][r] is { } date)
                {
                    var unordered = Unordered(date);
                    keys.Add(withRegion ? unordered + "|" + Prefix(t.Values[region][r], 8) : unordered);
                }
            }));
        }
        // NIKs one digit apart are common between different people (serials restart at 0001 for every birth date in
        // every kecamatan), so the NIK's drop-one key also carries the first letter of the name's sound key.
        string Initial(LinkageTable t, int r) => Names(t, r).First is { Length: > 0 } first ? first[..1] : "";
        if (nik >= 0)
        {
            AddIdentifierRules(rules, "nik", nik, full >= 0 || given >= 0 || surname >= 0 ? Initial : null);
            rules.Add(new("nik-prefix", (t, r, keys) =>
            {
                if (t.Values[nik][r] is { Length: 16 } value && value[0] != '0')
                {
                    keys.Add(value[..12]);
                }
            }));
        }
        if (id >= 0)
        {
            AddIdentifierRules(rules, "idNumber", id, null);
        }
        if (kk >= 0)
        {
            rules.Add(new("kk-name", (t, r, keys) =>
            {
                if (t.Values[kk][r] is { } value)
                {
                    keys.Add(value + "|" + Names(t, r).First);
                }
            }));
        }
        if (birth >= 0 && (full >= 0 || given >= 0 || surname >= 0) && large)
        {
            rules.Add(new("name-year", (t, r, keys) =>
            {
                var name = full >= 0 ? t.Values[full][r] : (given >= 0 ? t.Values[given][r] : "") + " " + (surname >= 0 ? t.Values[surname][r] : "");
                if (!string.IsNullOrWhiteSpace(name) && t.Values[birth][r] is { } date)
                {
                    keys.Add(Registry.NameKey.For(name) + "|" + date[..4]);
                }
            }));
        }
        else if (birth >= 0 && (full >= 0 || given >= 0 || surname >= 0))
        {
            rules.Add(new("name-year", (t, r, keys) =>
            {
                var first = Names(t, r).First;
                if (first.Length > 0 && t.Values[birth][r] is { } date)
                {
                    keys.Add(first + "|" + date[..4]);
                }
            }));
            rules.Add(new("surname-year", (t, r, keys) =>
            {
                var last = Names(t, r).Last;
                if (last.Length > 0 && t.Values[birth][r] is { } date)
                {
                    keys.Add(last + "|" + date[..4]);
                }
            }));
        }
        if (postcode >= 0 && street >= 0)
        {
            rules.Add(new("address", (t, r, keys) =>
            {
                if (t.Values[postcode][r] is { } p && t.Values[street][r] is { } s)
                {
                    keys.Add(p + "|" + s);
                }
            }));
        }
        if (region >= 0 && full >= 0 && !large)
        {
            rules.Add(new("region-name", (t, r, keys) =>
            {
                if (t.Values[region][r] is { } village && t.Values[full][r] is { } name)
                {
                    keys.Add(village + "|" + Registry.NameKey.For(name));
                }
            }));
        }
        return rules;
    }

    private static void AddIdentifierRules(List<Rule> rules, string name, int field, Func<LinkageTable, int, string>? qualifier)
    {
        rules.Add(new(name, (t, r, keys) =>
        {
            if (t.Values[field][r] is { } value)
            {
                keys.Add(value);
            }
        }));
        rules.Add(new(name + "-drop-one", (t, r, keys) =>
        {
            if (t.Values[field][r] is { Length: >= 5 } value)
            {
                var suffix = qualifier is null ? "" : "|" + qualifier(t, r);
                for (var i = 0; i < value.Length; i++)
                {
                    keys.Add(string.Concat(value.AsSpan(0, i), value.AsSpan(i + 1), suffix));
                }
            }
        }));
    }

    /// <summary>
    /// A birth date with day and month in ascending order, so a date typed MM/DD lands in the same block as the DD/MM one
    /// (yyyyMMdd: 19800503 and 19800305 both give 19800305); other values as they are.
    /// </summary>
    private static string Unordered(string date) =>
        date.Length == 8 && string.CompareOrdinal(date, 4, date, 6, 2) > 0 ? string.Concat(date.AsSpan(0, 4), date.AsSpan(6, 2), date.AsSpan(4, 2)) : date;

    private static string Prefix(string? value, int length) => value is null ? "" : value.Length > length ? value[..length] : value;

    /// <summary>
    /// Candidate pairs as <c>(indexA &lt;&lt; 32) | indexB</c>, sorted and distinct. With <paramref name="b"/> null the
    /// table is deduplicated against itself (pairs with indexA &lt; indexB).
    /// </summary>
    public static Outcome CandidatePairs(LinkageTable a, LinkageTable? b, IReadOnlyList<Rule> rules, CancellationToken cancellationToken = default)
    {
        var all = new PairBuckets(a.Count);
        var perRule = new Dictionary<string, long>(StringComparer.Ordinal);
        long skipped = 0;
        var scratch = new List<string>(16);
        foreach (var rule in rules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var keys = new KeyBuffer(Estimate(a, rule, scratch) + (b is null ? 0 : Estimate(b, rule, scratch)));
            Collect(a, rule, 0, ref keys, scratch);
            if (b is not null)
            {
                Collect(b, rule, int.MinValue, ref keys, scratch);
            }
            // Sorted in place: no copy of the rule's keys (sixteen per record for the NIK's drop-one keys).
            var keyArray = keys.Keys;
            var memberArray = keys.Members;
            var count = keys.Count;
            Array.Sort(keyArray, memberArray, 0, count);
            var before = all.Count;
            var start = 0;
            while (start < count)
            {
                var end = start + 1;
                while (end < count && keyArray[end] == keyArray[start])
                {
                    end++;
                }
                if (end - start > 1)
                {
                    skipped += Emit(memberArray.AsSpan(start, end - start), b is not null, all) ? 0 : 1;
                }
                start = end;
            }
            perRule[rule.Name] = all.Count - before;
            Progress?.Invoke($"{rule.Name}: {all.Count - before:N0} pairs, {skipped:N0} blocks skipped");
            // Sorting and de-duplicating after each rule keeps the buckets near the number of distinct pairs.
            all.Compact();
        }
        return new Outcome(all.ToSet(), perRule, skipped);
    }

    /// <summary>The rule's keys for the whole table, estimated from its first thousand records (so the buffer is sized once).</summary>
    private static int Estimate(LinkageTable table, Rule rule, List<string> scratch)
    {
        var sample = Math.Min(table.Count, 1000);
        long keys = 0;
        for (var r = 0; r < sample; r++)
        {
            scratch.Clear();
            rule.Keys(table, r, scratch);
            keys += scratch.Count;
        }
        return sample == 0 ? 0 : (int)Math.Min(int.MaxValue / 2, keys * table.Count / sample * 21 / 20 + 16);
    }

    private static void Collect(LinkageTable table, Rule rule, int sideBit, ref KeyBuffer keys, List<string> scratch)
    {
        for (var r = 0; r < table.Count; r++)
        {
            scratch.Clear();
            rule.Keys(table, r, scratch);
            for (var k = 0; k < scratch.Count; k++)
            {
                // Repeated digits give the same drop-one key twice; one record enters a block once.
                if (k > 0 && scratch.IndexOf(scratch[k], 0, k) >= 0)
                {
                    continue;
                }
                keys.Add(Hash(scratch[k]), r | sideBit);
            }
        }
    }

    /// <summary>Block keys (hashes) and their records, two parallel arrays grown by half when the estimate was short.</summary>
    private struct KeyBuffer(int capacity)
    {
        public ulong[] Keys = new ulong[Math.Max(16, capacity)];
        public int[] Members = new int[Math.Max(16, capacity)];
        public int Count;

        public void Add(ulong key, int member)
        {
            if (Count == Keys.Length)
            {
                var size = checked(Keys.Length + Keys.Length / 2);
                Array.Resize(ref Keys, size);
                Array.Resize(ref Members, size);
            }
            Keys[Count] = key;
            Members[Count++] = member;
        }
    }

    /// <summary>Pairs of one block; false (nothing emitted) when the block is too big to say anything.</summary>
    private static bool Emit(ReadOnlySpan<int> block, bool link, PairBuckets pairs)
    {
        if (link)
        {
            long inB = 0;
            foreach (var m in block)
            {
                inB += m < 0 ? 1 : 0;
            }
            var inA = block.Length - inB;
            if (inA * inB > MaxBlockPairs)
            {
                return false;
            }
            foreach (var x in block)
            {
                if (x < 0)
                {
                    continue;
                }
                foreach (var y in block)
                {
                    if (y < 0)
                    {
                        pairs.Add(((long)x << 32) | (uint)(y & int.MaxValue));
                    }
                }
            }
            return true;
        }
        if ((long)block.Length * (block.Length - 1) / 2 > MaxBlockPairs)
        {
            return false;
        }
        for (var i = 0; i < block.Length; i++)
        {
            for (var j = i + 1; j < block.Length; j++)
            {
                var (low, high) = block[i] < block[j] ? (block[i], block[j]) : (block[j], block[i]);
                if (low != high)
                {
                    pairs.Add(((long)low << 32) | (uint)high);
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Packed pairs in at most 256 buckets by indexA's high bits, each a growable array sorted and de-duplicated in place:
    /// a bucket grows by half, so the copy while growing is a bucket's, not the whole set's.
    /// </summary>
    private sealed class PairBuckets
    {
        private readonly int _shift;
        private readonly long[][] _items;
        private readonly int[] _counts;

        public PairBuckets(int records)
        {
            _shift = Math.Max(0, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(1, records)) - 8);
            var buckets = (Math.Max(1, records) - 1 >> _shift) + 1;
            _items = [.. Enumerable.Range(0, buckets).Select(_ => Array.Empty<long>())];
            _counts = new int[buckets];
        }

        public long Count { get; private set; }

        public void Add(long pair)
        {
            var b = (int)((pair >> 32) >> _shift);
            ref var items = ref _items[b];
            if (_counts[b] == items.Length)
            {
                Array.Resize(ref items, Math.Max(1024, checked(items.Length + items.Length / 2)));
            }
            items[_counts[b]++] = pair;
            Count++;
        }

        public void Compact()
        {
            Count = 0;
            for (var b = 0; b < _items.Length; b++)
            {
                var span = _items[b].AsSpan(0, _counts[b]);
                span.Sort();
                var distinct = span.Length == 0 ? 0 : 1;
                for (var i = 1; i < span.Length; i++)
                {
                    if (span[i] != span[distinct - 1])
                    {
                        span[distinct++] = span[i];
                    }
                }
                _counts[b] = distinct;
                Count += distinct;
            }
        }

        public CandidateSet ToSet()
        {
            Compact();
            for (var b = 0; b < _items.Length; b++)
            {
                Array.Resize(ref _items[b], _counts[b]);
            }
            return new CandidateSet(_items);
        }
    }

    /// <summary>FNV-1a 64 of the key text: blocks are formed on the hash; a rare collision only adds a pair to compare.</summary>
    private static ulong Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
