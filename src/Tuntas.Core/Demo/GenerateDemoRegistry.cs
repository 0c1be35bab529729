using Tuntas.Regions;
using Tuntas.Registry;

namespace Tuntas.Demo;

/// <summary>
/// Writes a synthetic but realistic registry import file (spec/IMPORT-FORMAT.md) for one regency: families over its
/// real Kemendagri villages, Javanese names, NIK/NO_KK consistent with village, birth date and sex, and housing,
/// assets and consumption all driven by one latent welfare value per family, with per-capita consumption calibrated so
/// the person-weighted poverty rate equals the BPS P0 at the BPS poverty line. See <c>README.md</c> in this folder.
/// Deterministic: the same input gives byte-identical output (explicit per-family seeds, invariant formatting, a
/// reference date derived from the year, never the clock).
/// </summary>
public sealed class GenerateDemoRegistry
{
    /// <param name="SerialBase">Added to every NIK and NO_KK serial (their last four digits). The demo registry uses 0;
    /// a file meant for import into an installation that may already hold it uses <see cref="FileSerialBase"/>, so its
    /// people never take the demo residents' NIKs ("NIK already in another family").</param>
    public sealed record Input(string RegencyCode = "33.14", int Families = 30000, int Seed = 1, int? Year = null, double FaultRate = 0, int SerialBase = 0);

    /// <summary>
    /// The serial band of an import file: 1000–9999 in bands of 1000 by seed (seed 1 → 2001…, seed 2 → 3001…), apart from
    /// the demo registry's 1–999, so a generated file imports cleanly into a demo install, and files of different seeds
    /// (modulo 9) into each other. A band holds 999 people born on one day of one kecamatan and sex — at 300,000
    /// families a busy day holds about ten.
    /// </summary>
    public static int FileSerialBase(int seed) => 1000 * (1 + (((seed % 9) + 9) % 9));

    public sealed record Outcome(string RegencyName, int Year, int Families, int Persons, int Villages, double PovertyLine,
        double TargetP0, double AchievedP0, int FaultsInjected)
    {
        /// <summary>
        /// The injected faults by the code the import reports them with (FAMILY_NO_HEAD, FAMILY_CONFLICT,
        /// NIK_BIRTHDATE_MISMATCH), and DUPLICATE_PERSON — a second NIK for someone already registered, which the import
        /// cannot see (a new NIK is lawful) and <c>tuntas duplicates find</c> finds.
        /// </summary>
        public IReadOnlyDictionary<string, int> FaultsByCode { get; init; } = new Dictionary<string, int>();

        /// <summary>
        /// The linkage ground truth the faults planted: every duplicate person (<see cref="PlantedPair.Same"/>) with the
        /// pattern it carries, and every look-alike pair of two different persons (twins, a son named after his father,
        /// two Siti Aminah of one village). Empty without faults. Used by the linkage benchmark (docs/benchmarks.md).
        /// </summary>
        public IReadOnlyList<PlantedPair> Planted { get; init; } = [];
    }

    /// <summary>A planted pair of NIKs: the same person registered twice, or two different persons who look alike.</summary>
    public sealed record PlantedPair(string NikA, string NikB, string Pattern, bool Same);

    /// <summary>Sragen's demo year: the latest March Susenas with both P0 and the poverty line published (P0 12.41 %, GK Rp453.663, DOMAIN.md §7).</summary>
    private const int SragenReferenceYear = 2024;

    // Log per-capita consumption = a + 0.40·w + 0.30·ε − 0.20·(ln size − ln 3.3). With Var(w) ≈ 1.2 this gives sd(log c) ≈ 0.55
    // (Susenas Jawa Tengah rural: 0.5–0.6) and puts ~65 % of the variance in w, so a regression on the (noisy)
    // indicators reaches R² ≈ 0.5, as Indonesian proxy-means tests do (World Bank PMT reviews report 0.4–0.6).
    private const double WelfareLoading = 0.40;
    private const double NoiseSd = 0.30;
    private const double SizeElasticity = 0.20;

    public static readonly string[] Columns =
    [
        // Family columns, in the spec's order.
        "KODE_DESA", "NO_KK", "ALAMAT", "RT", "RW", "LINTANG", "BUJUR", "STATUS_BANGUNAN", "LUAS_LANTAI", "JENIS_LANTAI",
        "JENIS_DINDING", "JENIS_ATAP", "SUMBER_AIR_MINUM", "SUMBER_PENERANGAN", "DAYA_LISTRIK", "BAHAN_BAKAR_MASAK",
        "FASILITAS_BAB", "ASET_KULKAS", "ASET_AC", "ASET_TV", "ASET_EMAS_10G", "ASET_KOMPUTER", "ASET_SEPEDA_MOTOR",
        "ASET_MOBIL", "ASET_PERAHU_MOTOR", "ASET_SMARTPHONE", "ASET_REKENING", "LUAS_LAHAN", "TERNAK_SAPI", "TERNAK_KAMBING",
        "TERNAK_UNGGAS", "DAGING_PER_MINGGU", "PAKAIAN_PER_TAHUN", "MAKAN_PER_HARI", "MAMPU_BEROBAT", "TABUNGAN_500RB",
        "DESIL_NASIONAL", "PENGELUARAN_PERKAPITA",
        // Person columns, in the spec's order.
        "NIK", "NAMA", "JENIS_KELAMIN", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "HUBUNGAN_KK", "STATUS_KAWIN", "PENDIDIKAN",
        "STATUS_SEKOLAH", "BEKERJA", "PEKERJAAN", "PENGHASILAN", "DISABILITAS", "PENYAKIT_KRONIS", "HAMIL",
    ];

    /// <summary>Convenience for the CLI: writes <paramref name="path"/> as UTF-8 without BOM.</summary>
    public static async Task<Outcome> WriteFileAsync(Input input, string path, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        return await new GenerateDemoRegistry().RunAsync(input, writer, cancellationToken);
    }

    /// <summary>The fixed "today" of a data year: 30 June, after the March Susenas the figures describe.</summary>
    public static DateOnly ReferenceDate(int year) => new(year, 6, 30);

    public async Task<Outcome> RunAsync(Input input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Families < 1)
        {
            throw new ArgumentException(
                $"Jumlah keluarga harus minimal 1 (diberikan {input.Families.ToString(CultureInfo.InvariantCulture)}) / " +
                $"The number of families must be at least 1 (given {input.Families.ToString(CultureInfo.InvariantCulture)}).", nameof(input));
        }
        if (input.FaultRate is < 0 or > 1 || double.IsNaN(input.FaultRate))
        {
            throw new ArgumentException("Laju kesalahan harus antara 0 dan 1 / The fault rate must be between 0 and 1.", nameof(input));
        }
        var region = Regency.Load(input.RegencyCode);
        var stats = PovertyCalibration.ForRegency(region.Code);
        if (stats.Count == 0)
        {
            throw new ArgumentException(
                $"Tidak ada statistik kemiskinan BPS (P0 dan garis kemiskinan) untuk {region.Name} ({region.Code}) / " +
                $"No BPS poverty statistics (P0 and poverty line) for {region.Name} ({region.Code}).", nameof(input));
        }
        var year = input.Year ?? (region.Code == "33.14" && stats.ContainsKey(SragenReferenceYear) ? SragenReferenceYear : stats.Keys.Max());
        if (!stats.TryGetValue(year, out var stat))
        {
            var years = string.Join(", ", stats.Keys.Select(y => y.ToString(CultureInfo.InvariantCulture)));
            throw new ArgumentException(
                $"Tidak ada statistik kemiskinan untuk {region.Name} tahun {year.ToString(CultureInfo.InvariantCulture)}; tersedia: {years} / " +
                $"No poverty statistics for {region.Name} in {year.ToString(CultureInfo.InvariantCulture)}; available: {years}.", nameof(input));
        }

        var model = new Model(region, input, stat, ReferenceDate(year));
        var faults = await model.WriteAsync(output, cancellationToken);
        return new Outcome(region.Name, year, input.Families, model.Persons, region.Villages.Length, stat.PovertyLine,
            stat.P0Percent, Math.Round(model.AchievedP0 * 100, 4), faults)
        { FaultsByCode = model.FaultsByCode, Planted = model.Planted };
    }

    internal sealed record Village(string Code, string Name, string District6, bool Kelurahan);

    internal sealed record Regency(string Code, string Name, Village[] Villages, string BirthPlace)
    {
        public static Regency Load(string? code)
        {
            var dotted = RegionCode.ToDotted(code ?? "");
            string? name = null;
            var villages = new List<Village>();
            if (dotted is { Length: 5 })
            {
                var prefix = dotted + ".";
                foreach (var r in LoadRegions.ReadShippedRegions())
                {
                    if (r.Code == dotted && r.Level == Region.Regency)
                    {
                        name = r.Name;
                    }
                    else if (r.Level == Region.Village && r.Code.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        villages.Add(new Village(r.Code, r.Name, RegionCode.ToPlain(r.Code[..8]), r.Code[9] == '1'));
                    }
                }
            }
            if (name is null)
            {
                throw new ArgumentException(
                    $"Kode kabupaten/kota tidak dikenal: '{code}' (contoh: 33.14) / Unknown regency code: '{code}' (e.g. 33.14).", nameof(code));
            }
            if (villages.Count == 0)
            {
                throw new ArgumentException(
                    $"{name} ({dotted}) tidak memiliki desa/kelurahan di tabel wilayah / {name} ({dotted}) has no villages in the region table.", nameof(code));
            }
            villages.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
            // Place of birth as a KK card writes it: "SRAGEN" for Kabupaten Sragen; Kota keeps its name.
            var place = name.StartsWith("Kabupaten ", StringComparison.Ordinal) ? name["Kabupaten ".Length..] : name;
            return new Regency(dotted!, name, [.. villages], place.ToUpperInvariant());
        }
    }

    /// <summary>SplitMix64 finaliser over (seed, index, stream): stable across processes, unlike HashCode.Combine.</summary>
    internal static int Seed(int seed, int index, int stream)
    {
        unchecked
        {
            var x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)index * 0xC2B2AE3D27D4EB4FUL ^ ((ulong)(uint)stream + 1) * 0x165667B19E3779F9UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (int)(x >> 33);
        }
    }

    private sealed class Model
    {
        private readonly Regency _regency;
        private readonly Input _input;
        private readonly PovertyCalibration.Stats _stat;
        private readonly DateOnly _today;
        private readonly int[] _villageOfFamily;
        private readonly double[] _villageEffect;
        private readonly List<DemoMember> _members = new(DemoHousehold.MaxSize + 2);
        private readonly List<DemoMember> _pool = [];
        private int _poolUsed;
        private readonly Dictionary<long, int> _nikSerials = [];
        private readonly Dictionary<long, int> _kkSerials = [];
        private readonly double _varW;

        public int Persons { get; private set; }
        public double AchievedP0 { get; private set; }
        public List<PlantedPair> Planted { get; } = [];

        public Model(Regency regency, Input input, PovertyCalibration.Stats stat, DateOnly today)
        {
            _regency = regency;
            _input = input;
            _stat = stat;
            _today = today;
            var villages = regency.Villages;
            var rng = new Random(Seed(input.Seed, -1, 0));
            // Village and kecamatan welfare effects (sd 0.3 each; kelurahan are town centres, better off) and sizes
            // (lognormal, sd 0.45: Sragen desa range from a few hundred to a few thousand households; kelurahan larger).
            var districtEffect = new Dictionary<string, double>(StringComparer.Ordinal);
            _villageEffect = new double[villages.Length];
            var weights = new double[villages.Length];
            for (var v = 0; v < villages.Length; v++)
            {
                if (!districtEffect.TryGetValue(villages[v].District6, out var d))
                {
                    d = 0.3 * DemoHousehold.Gaussian(rng);
                    districtEffect[villages[v].District6] = d;
                }
                _villageEffect[v] = d + 0.3 * DemoHousehold.Gaussian(rng) + (villages[v].Kelurahan ? 0.35 : 0);
                weights[v] = Math.Exp(0.45 * DemoHousehold.Gaussian(rng)) * (villages[v].Kelurahan ? 1.4 : 1);
            }
            _varW = 1 + 0.18;
            _villageOfFamily = Apportion(weights, input.Families);
        }

        /// <summary>Largest-remainder apportionment; every village gets a family when there are enough families.</summary>
        private static int[] Apportion(double[] weights, int families)
        {
            var n = weights.Length;
            var counts = new int[n];
            var floor = families >= n ? 1 : 0;
            var rest = families - floor * n;
            var total = weights.Sum();
            var remainders = new (double Remainder, int Village)[n];
            var given = 0;
            for (var v = 0; v < n; v++)
            {
                var exact = rest * weights[v] / total;
                counts[v] = floor + (int)exact;
                given += (int)exact;
                remainders[v] = (exact - (int)exact, v);
            }
            Array.Sort(remainders, (a, b) => b.Remainder != a.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Village.CompareTo(b.Village));
            for (var k = 0; k < rest - given; k++)
            {
                counts[remainders[k].Village]++;
            }
            var result = new int[families];
            var i = 0;
            for (var v = 0; v < n; v++)
            {
                for (var c = 0; c < counts[v]; c++)
                {
                    result[i++] = v;
                }
            }
            return result;
        }

        private DemoMember Rent()
        {
            if (_poolUsed == _pool.Count)
            {
                _pool.Add(new DemoMember());
            }
            return _pool[_poolUsed++];
        }

        /// <summary>The draws shared by both passes, always first and in the same order from the family's RNG.</summary>
        private double DrawCore(Random rng, int family, out double w)
        {
            _members.Clear();
            _poolUsed = 0;
            w = DemoHousehold.Gaussian(rng) + _villageEffect[_villageOfFamily[family]];
            var eps = DemoHousehold.Gaussian(rng);
            DemoHousehold.Compose(rng, w, _members, Rent);
            return WelfareLoading * w + NoiseSd * eps - SizeElasticity * (Math.Log(_members.Count) - Math.Log(3.3));
        }

        public async Task<int> WriteAsync(TextWriter output, CancellationToken cancellationToken)
        {
            var n = _input.Families;
            // Pass 1: latent score and size per family, then the person-weighted cut at P0.
            var score = new double[n];
            var size = new byte[n];
            double sum = 0, sum2 = 0;
            for (var i = 0; i < n; i++)
            {
                if ((i & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var rng = new Random(Seed(_input.Seed, i, 0));
                score[i] = DrawCore(rng, i, out _);
                size[i] = (byte)_members.Count;
                sum += score[i];
                sum2 += score[i] * score[i];
            }
            var (cut, nonePoor, achieved) = PovertyCalibration.PersonWeightedCut(score, size, _stat.P0Percent / 100);
            AchievedP0 = achieved;
            var mean = sum / n;
            var sd = Math.Sqrt(Math.Max(sum2 / n - mean * mean, 1e-12));
            // a puts the cut exactly on the poverty line: exp(a + cut) = GK. Families at or below the cut are then
            // clamped to GK − 1 and the rest to ≥ GK, so integer rounding cannot move anyone across the line.
            var a = Math.Log(_stat.PovertyLine) - (nonePoor ? mean - 10 * sd : cut);
            var line = (long)Math.Round(_stat.PovertyLine);

            // Pass 2: regenerate each family from the same RNG and write it.
            output.Write(string.Join(',', Columns));
            output.Write('\n');
            var row = new StringBuilder(4096);
            var faults = 0;
            for (var i = 0; i < n; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var rng = new Random(Seed(_input.Seed, i, 0));
                var x = DrawCore(rng, i, out var w);
                var consumption = (long)Math.Round(Math.Exp(a + x));
                consumption = !nonePoor && x <= cut ? Math.Min(consumption, line - 1) : Math.Max(consumption, line);
                var village = _regency.Villages[_villageOfFamily[i]];
                // Birth dates first: the NO_KK registration date depends on them.
                foreach (var m in _members)
                {
                    m.BirthDate = _today.AddYears(-m.Age).AddDays(-rng.Next(365));
                }
                var family = DrawFamily(rng, w, (x - mean) / sd, consumption, village, i);
                DrawPersons(rng, w, village);
                var fault = FaultKind.None;
                if (_input.FaultRate > 0)
                {
                    var frng = new Random(Seed(_input.Seed, i, 1));
                    if (frng.NextDouble() < _input.FaultRate)
                    {
                        fault = InjectFault(frng, family, village);
                        faults += fault == FaultKind.None ? 0 : 1;
                        _faultCounts[(int)fault]++;
                    }
                    // Look-alikes of different persons, the hard negatives of duplicate finding, on their own stream.
                    var hrng = new Random(Seed(_input.Seed, i, 2));
                    if (_namesake is { } waiting && waiting.Village == village.Code)
                    {
                        PlantNamesake(hrng, family, village, waiting);
                    }
                    else if (hrng.NextDouble() < _input.FaultRate / 2)
                    {
                        PlantLookAlike(hrng, family, village, headWritten: fault != FaultKind.MissingHead);
                    }
                }
                WriteFamily(row, family, fault);
                output.Write(row);
                row.Clear();
                if ((i & 255) == 255)
                {
                    await Task.Yield();
                }
            }
            await output.FlushAsync(cancellationToken);
            return faults;
        }

        private enum FaultKind { None, DuplicatePerson, WrongNikDate, ConflictingFloor, MissingHead }

        private readonly int[] _faultCounts = new int[5];

        /// <summary>
        /// The faults by the import's codes. A planted duplicate brings the import's own warning with it: a NIK with a
        /// digit of its birth-date part changed no longer matches TANGGAL_LAHIR, and OpenSID's temporary number is
        /// reported as temporary (NIK_SEMENTARA).
        /// </summary>
        public IReadOnlyDictionary<string, int> FaultsByCode
        {
            get
            {
                int PlantedAs(params string[] patterns) => Planted.Count(p => p.Same && patterns.Any(n => p.Pattern.StartsWith(n + "+", StringComparison.Ordinal)));
                var faults = new Dictionary<string, int>
                {
                    ["FAMILY_NO_HEAD"] = _faultCounts[(int)FaultKind.MissingHead],
                    ["FAMILY_CONFLICT"] = _faultCounts[(int)FaultKind.ConflictingFloor],
                    ["NIK_BIRTHDATE_MISMATCH"] = _faultCounts[(int)FaultKind.WrongNikDate] + PlantedAs("nik-satu-digit", "nik-tertukar"),
                    ["DUPLICATE_PERSON"] = _faultCounts[(int)FaultKind.DuplicatePerson],
                };
                if (PlantedAs("nik-sementara") is > 0 and var temporary)
                {
                    faults["NIK_SEMENTARA"] = temporary;
                }
                return faults;
            }
        }

        private sealed class FamilyFields
        {
            public required string Prefix;     // KODE_DESA .. PENGELUARAN_PERKAPITA, ending with ','
            public required string ConflictingPrefix;
            public DemoMember? Duplicate;
            public List<DemoMember> LookAlikes = [];
        }

        // --- family-level indicators -------------------------------------------------------------------------

        /// <summary>
        /// An ordered indicator: codes from worst to best with Central Java shares, chosen by
        /// u = ρ·ŵ + √(1−ρ²)·ε (ŵ = standardised welfare) against the normal quantiles of the cumulative shares, so the
        /// marginal prevalence is the given share and the polychoric correlation with welfare is ρ.
        /// </summary>
        private sealed class Ladder
        {
            private readonly int[] _codes;
            private readonly double[] _cuts;
            private readonly double _rho;
            private readonly double _noise;

            public Ladder(double rho, params (int Code, double Share)[] worstToBest)
            {
                _rho = rho;
                _noise = Math.Sqrt(1 - rho * rho);
                _codes = [.. worstToBest.Select(c => c.Code)];
                var total = worstToBest.Sum(c => c.Share);
                _cuts = new double[worstToBest.Length - 1];
                var cumulative = 0.0;
                for (var k = 0; k < _cuts.Length; k++)
                {
                    cumulative += worstToBest[k].Share / total;
                    _cuts[k] = PovertyCalibration.NormalQuantile(cumulative);
                }
            }

            public int Draw(Random rng, double wStd)
            {
                var u = _rho * wStd + _noise * DemoHousehold.Gaussian(rng);
                var k = 0;
                while (k < _cuts.Length && u > _cuts[k])
                {
                    k++;
                }
                return _codes[k];
            }

            public bool Has(Random rng, double wStd) => Draw(rng, wStd) == 1;
        }

        // Shares: Susenas/Regsosek-style prevalences for rural Central Java (BPS Jawa Tengah "Statistik Perumahan dan
        // Permukiman" orders of magnitude); correlations (ρ) set so poor families cluster on earth floors, firewood,
        // shared toilets and no fridge, as in every Indonesian PMT.
        private static readonly Ladder _floor = new(0.62, (8, 7.5), (7, 0.3), (5, 1.2), (6, 19), (4, 7), (2, 62), (3, 0.5), (1, 2.5));
        private static readonly Ladder _wall = new(0.55, (6, 0.4), (4, 4.5), (5, 0.5), (3, 6.5), (2, 2), (1, 86.1));
        private static readonly Ladder _roof = new(0.35, (7, 0.1), (6, 0.1), (5, 0.3), (3, 2), (4, 2.5), (2, 93), (1, 2));
        private static readonly Ladder _water = new(0.40, (9, 0.3), (8, 1), (6, 4), (10, 0.2), (7, 2), (5, 20), (4, 33), (3, 9), (2, 26), (1, 4.5));
        private static readonly Ladder _lighting = new(0.50, (4, 0.2), (3, 0.3), (2, 2), (1, 97.5));
        private static readonly Ladder _power = new(0.65, (450, 36), (900, 45), (1300, 13), (2200, 4.5), (3500, 1.5));
        private static readonly Ladder _fuel = new(0.60, (10, 15), (9, 0.3), (8, 0.2), (7, 0.5), (12, 1.5), (4, 72), (6, 0.3), (2, 3.5), (3, 4), (5, 0.2), (1, 2.5));
        private static readonly Ladder _toilet = new(0.50, (6, 2.5), (5, 0.5), (4, 1), (3, 3), (2, 5), (1, 88));
        private static readonly Ladder _ownership = new(0.30, (3, 7), (2, 4), (5, 0.5), (4, 0.3), (1, 88.2));

        private static Ladder Asset(double share, double rho) => new(rho, (0, 100 - share), (1, share));

        private static readonly (string Column, Ladder Ladder)[] _assets =
        [
            ("ASET_KULKAS", Asset(62, 0.65)), ("ASET_AC", Asset(4, 0.6)), ("ASET_TV", Asset(88, 0.5)),
            ("ASET_EMAS_10G", Asset(15, 0.5)), ("ASET_KOMPUTER", Asset(11, 0.6)), ("ASET_SEPEDA_MOTOR", Asset(86, 0.55)),
            ("ASET_MOBIL", Asset(10, 0.65)), ("ASET_PERAHU_MOTOR", Asset(0.1, 0.2)), ("ASET_SMARTPHONE", Asset(82, 0.5)),
            ("ASET_REKENING", Asset(45, 0.6)),
        ];

        private static readonly Ladder _meat = new(0.55, (0, 6), (1, 22), (2, 30), (3, 20), (4, 10), (5, 6), (6, 3), (7, 3));
        private static readonly Ladder _clothes = new(0.55, (0, 4), (1, 18), (2, 38), (3, 25), (4, 15));
        private static readonly Ladder _meals = new(0.45, (1, 0.3), (2, 3.7), (3, 96));
        private static readonly Ladder _treatment = new(0.5, (0, 9), (1, 91));
        private static readonly Ladder _savings = new(0.55, (0, 28), (1, 72));

        // Dukuh (hamlet) names repeat across Javanese villages; one per RW gives addresses a local look.
        private static readonly string[] _dukuh =
        [
            "Krajan", "Ngasem", "Sidorejo", "Karanganyar", "Kedungringin", "Tegalsari", "Bendungan", "Ngrandu", "Jetis",
            "Sumberejo", "Kauman", "Plosorejo", "Gondang", "Pucangan", "Ngemplak", "Sambirejo", "Tanggan", "Mojorejo",
            "Banaran", "Cangkring", "Dawungan", "Gebang", "Kebonagung", "Pilang", "Toyogo", "Wonorejo", "Ngampel", "Glonggong",
        ];

        private FamilyFields DrawFamily(Random rng, double w, double consumptionStd, long consumption, Village village, int index)
        {
            var ws = w / Math.Sqrt(_varW);
            var sb = new StringBuilder(256);
            var villageIndex = _villageOfFamily[index];
            var rw = 1 + rng.Next(1 + (int)(Fraction(villageIndex, 11) * 9));
            var rt = 1 + rng.Next(3 + (int)(Fraction(villageIndex, 17) * 5));
            var dukuh = _dukuh[(villageIndex * 7 + rw * 13) % _dukuh.Length];

            var ownership = _ownership.Draw(rng, ws);
            var area = Math.Max(12, (int)Math.Round(70 * Math.Exp(0.22 * ws + 0.35 * DemoHousehold.Gaussian(rng)) * (village.Kelurahan ? 0.8 : 1)));
            var floor = _floor.Draw(rng, ws);
            var wall = _wall.Draw(rng, ws);
            var roof = _roof.Draw(rng, ws);
            var water = _water.Draw(rng, ws);
            var lighting = _lighting.Draw(rng, ws);
            var power = _power.Draw(rng, ws);
            var fuel = _fuel.Draw(rng, ws);
            var toilet = _toilet.Draw(rng, ws);

            sb.Append(village.Code).Append(',');
            sb.Append(NoKkFor(rng, village)).Append(',');
            sb.Append("Dukuh ").Append(dukuh).Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"{rt:000},{rw:000},,,{ownership},{area},");
            var floorAt = sb.Length;
            sb.Append(CultureInfo.InvariantCulture, $"{floor},{wall},{roof},{water},{lighting},");
            // Installed power only for metered PLN; none without electricity; unknown for an unmetered connection.
            if (lighting == 1)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{power},");
            }
            else
            {
                sb.Append(lighting == 2 ? "," : "0,");
            }
            sb.Append(CultureInfo.InvariantCulture, $"{fuel},{toilet},");
            foreach (var (_, ladder) in _assets)
            {
                var has = ladder.Draw(rng, ws);
                // ~1 % of asset cells unknown (enumerator skipped the question).
                if (rng.NextDouble() < 0.01)
                {
                    sb.Append(',');
                }
                else
                {
                    sb.Append(has == 1 ? "1," : "0,");
                }
            }
            // Farm land (Sragen is rice and dry-field farming): farmers mostly own some, labourers none.
            var farmer = _members.Count > 0 && HeadIsLikelyFarmer(w, rng);
            var land = farmer && rng.NextDouble() < 0.85
                ? (int)Math.Round(2500 * Math.Exp(0.5 * ws + 0.7 * DemoHousehold.Gaussian(rng)) / 50) * 50
                : rng.NextDouble() < 0.12 ? (int)Math.Round(800 * Math.Exp(0.4 * ws + 0.6 * DemoHousehold.Gaussian(rng)) / 50) * 50 : 0;
            _headFarmer = farmer;
            OptionalInt(sb, land, rng, 0.02);
            var cattle = rng.NextDouble() < (farmer ? 0.35 : 0.08) ? 1 + DemoHousehold.Poisson(rng, 0.8) : 0;
            var goats = rng.NextDouble() < (farmer ? 0.2 : 0.07) ? 1 + DemoHousehold.Poisson(rng, 2.5) : 0;
            var poultry = rng.NextDouble() < 0.4 ? 2 + DemoHousehold.Poisson(rng, 8) : 0;
            OptionalInt(sb, cattle, rng, 0.02);
            OptionalInt(sb, goats, rng, 0.02);
            OptionalInt(sb, poultry, rng, 0.02);
            OptionalInt(sb, _meat.Draw(rng, ws), rng, 0.01);
            OptionalInt(sb, _clothes.Draw(rng, ws), rng, 0.01);
            OptionalInt(sb, _meals.Draw(rng, ws), rng, 0.01);
            OptionalInt(sb, _treatment.Draw(rng, ws), rng, 0.01);
            OptionalInt(sb, _savings.Draw(rng, ws), rng, 0.01);
            // DESIL_NASIONAL: the official decile ranks a PMT prediction, not consumption: a noisy signal (ρ ≈ 0.7 with
            // true consumption) on the national scale, shifted down because Sragen is poorer than Indonesia (P0 12.4 %
            // vs 9.0 % in 2024). ~10 % of families are not in DTSEN (empty).
            var desilSignal = 0.7 * consumptionStd + 0.714 * DemoHousehold.Gaussian(rng) - 0.15;
            var desil = Math.Clamp((int)Math.Ceiling(10 * PovertyCalibration.NormalCdf(desilSignal)), 1, 10);
            if (rng.NextDouble() < 0.10)
            {
                sb.Append(',');
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{desil},");
            }
            sb.Append(CultureInfo.InvariantCulture, $"{consumption},");
            var prefix = sb.ToString();
            // The conflicting variant (fault injection): a different floor on one member's row.
            var otherFloor = floor == 8 ? 2 : 8;
            var conflicting = string.Concat(prefix.AsSpan(0, floorAt), otherFloor.ToString(CultureInfo.InvariantCulture),
                prefix.AsSpan(floorAt + 1));
            return new FamilyFields { Prefix = prefix, ConflictingPrefix = conflicting };
        }

        private bool _headFarmer;

        private static double Fraction(int village, int salt) => ((village * 2654435761L + salt * 40503L) & 0xFFFF) / 65536.0;

        private static bool HeadIsLikelyFarmer(double w, Random rng) => rng.NextDouble() < (w < 1 ? 0.42 : 0.2);

        private static void OptionalInt(StringBuilder sb, int value, Random rng, double unknownRate)
        {
            if (rng.NextDouble() < unknownRate)
            {
                sb.Append(',');
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{value},");
            }
        }

        /// <summary>
        /// NO_KK: kecamatan code + registration date + serial unique per first 12 digits. A KK is reissued at every
        /// change of members, so the date falls after the youngest member's birth and the head's 17th birthday, and
        /// after SIAK went live (2006, Perpres 25/2008 era numbering), never after the reference date.
        /// </summary>
        private string NoKkFor(Random rng, Village village)
        {
            var head = _members[0];
            var earliest = new DateOnly(2006, 1, 2);
            foreach (var m in _members)
            {
                if (m.BirthDate > earliest)
                {
                    earliest = m.BirthDate;
                }
            }
            var adult = head.BirthDate.AddYears(17);
            if (adult > earliest)
            {
                earliest = adult;
            }
            var latest = _today.AddDays(-1);
            var span = latest.DayNumber - earliest.DayNumber;
            var date = span <= 0 ? latest : DateOnly.FromDayNumber(earliest.DayNumber + rng.Next(span + 1));
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{village.District6}{date.Day:00}{date.Month:00}{date.Year % 100:00}");
            var key = long.Parse(prefix, CultureInfo.InvariantCulture);
            var serial = _kkSerials.TryGetValue(key, out var s) ? s + 1 : 1;
            _kkSerials[key] = serial;
            return NoKk.Compose(village.District6, date, _input.SerialBase + serial);
        }

        private string NikFor(string district6, DateOnly birth, int sex)
        {
            var day = birth.Day + (sex == 2 ? 40 : 0);
            var key = long.Parse(district6, CultureInfo.InvariantCulture) * 1_000_000 + day * 10_000 + birth.Month * 100 + birth.Year % 100;
            var serial = _nikSerials.TryGetValue(key, out var s) ? s + 1 : 1;
            _nikSerials[key] = serial;
            return Nik.Compose(district6, birth, sex, _input.SerialBase + serial);
        }

        // --- persons ------------------------------------------------------------------------------------------

        // Highest education for adults, worst to best (Dukcapil codes), shares for the 1975 birth cohort in rural
        // Central Java (Sakernas/Susenas orders of magnitude); younger cohorts shift up, older down.
        private static readonly double[] _eduCuts = Cuts(4, 8, 33, 22, 25, 1.2, 2.2, 4.2, 0.35, 0.05);

        private static double[] Cuts(params double[] shares)
        {
            var total = shares.Sum();
            var cuts = new double[shares.Length - 1];
            var cumulative = 0.0;
            for (var k = 0; k < cuts.Length; k++)
            {
                cumulative += shares[k] / total;
                cuts[k] = PovertyCalibration.NormalQuantile(cumulative);
            }
            return cuts;
        }

        private void DrawPersons(Random rng, double w, Village village)
        {
            var ws = w / Math.Sqrt(_varW);
            foreach (var m in _members)
            {
                m.Name = IndonesianNames.Draw(rng, m.Sex, m.BirthDate.Year);
                m.BirthPlace = rng.NextDouble() < 0.88 ? _regency.BirthPlace : _otherPlaces[rng.Next(_otherPlaces.Length)];
                Education(rng, m, ws);
                Work(rng, m, ws, m.Role == 1 && _headFarmer);
                var pDisability = 0.012 + (m.Age >= 60 ? 0.06 : 0) + (w < -1 ? 0.01 : 0);
                m.Disability = rng.NextDouble() < pDisability ? _disabilityTypes[rng.Next(_disabilityTypes.Length)] : 0;
                m.Chronic = rng.NextDouble() < (m.Age >= 40 ? 0.05 + (m.Age - 40) * 0.006 : 0.01);
                m.Pregnant = m.Sex == 2 && m.Marital == 2 && m.Age is >= 18 and <= 45 && rng.NextDouble() < (m.Age < 35 ? 0.06 : 0.02);
                m.Nik = NikFor(village.District6, m.BirthDate, m.Sex);
            }
        }

        // Places of birth other than the regency itself: neighbouring regencies and migration destinations.
        private static readonly string[] _otherPlaces =
        [
            "SURAKARTA", "KARANGANYAR", "NGAWI", "GROBOGAN", "BOYOLALI", "SUKOHARJO", "WONOGIRI", "KLATEN", "JAKARTA", "SURABAYA",
            "SEMARANG", "YOGYAKARTA", "MADIUN", "BLORA",
        ];

        // 1 fisik (most common), 2 netra, 3 rungu/wicara, 4 mental/jiwa, 5 fisik dan mental, 6 lainnya.
        private static readonly int[] _disabilityTypes = [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6];

        private static void Education(Random rng, DemoMember m, double ws)
        {
            var poor = ws < -0.9;
            m.Schooling = 2;
            switch (m.Age)
            {
                case <= 5:
                    (m.Education, m.Schooling) = (1, 0);
                    return;
                case 6:
                    (m.Education, m.Schooling) = rng.NextDouble() < 0.4 ? (2, 1) : (1, 0);
                    return;
                case <= 12:
                    (m.Education, m.Schooling) = (2, rng.NextDouble() < 0.005 ? 2 : 1);
                    return;
                case <= 15:
                    (m.Education, m.Schooling) = (3, rng.NextDouble() < (poor ? 0.07 : 0.02) ? 2 : 1);
                    return;
                case <= 18:
                    var dropout = rng.NextDouble() < (poor ? 0.2 : ws < 0 ? 0.09 : 0.04);
                    (m.Education, m.Schooling) = dropout ? (rng.NextDouble() < 0.5 ? 3 : 4, 2) : (4, 1);
                    return;
            }
            var birthYear = m.BirthDate.Year;
            // Cohort shift: +0.035 sd per year younger than 1975 (wajib belajar 6 then 9 then 12 years).
            var cohort = (birthYear - 1975) * 0.035 - (m.Sex == 2 && birthYear < 1970 ? 0.2 : 0);
            var u = 0.55 * ws + cohort + 0.83 * DemoHousehold.Gaussian(rng);
            var level = 1;
            while (level <= _eduCuts.Length && u > _eduCuts[level - 1])
            {
                level++;
            }
            m.Education = level;
            if (level == 1)
            {
                m.Schooling = 0;
            }
            // Still studying at 19–24: SLTA graduates in college, more often from better-off families.
            else if (m.Age <= 24 && level >= 5 && m.Marital == 1 && rng.NextDouble() < PovertyCalibration.NormalCdf(ws - 0.6))
            {
                m.Education = 5;
                m.Schooling = 1;
            }
        }

        private static void Work(Random rng, DemoMember m, double ws, bool farmer)
        {
            m.Working = false;
            m.Income = 0;
            if (m.Schooling == 1 && m.Age >= 6)
            {
                m.Occupation = "Pelajar/Mahasiswa";
                return;
            }
            if (m.Age < 15)
            {
                m.Occupation = "Belum/Tidak Bekerja";
                return;
            }
            var u = ws + 0.8 * DemoHousehold.Gaussian(rng) + (m.Education - 4) * 0.25;
            string occupation;
            if (m.Age >= 70 && rng.NextDouble() < 0.55)
            {
                occupation = m.Sex == 2 && rng.NextDouble() < 0.5 ? "Mengurus Rumah Tangga" : "Tidak Bekerja";
            }
            else if (m.Sex == 2 && rng.NextDouble() < (m.Marital == 2 ? 0.42 : 0.12))
            {
                occupation = "Mengurus Rumah Tangga";
            }
            else if (rng.NextDouble() < (m.Age < 25 ? 0.12 : 0.04))
            {
                occupation = "Tidak Bekerja";
            }
            else if (farmer && rng.NextDouble() < 0.8)
            {
                occupation = "Petani";
            }
            else
            {
                var list = u < -1.0 ? _poorJobs : u < 0.2 ? _lowerJobs : u < 1.2 ? _middleJobs : _upperJobs;
                occupation = list[rng.Next(list.Length)];
                if ((occupation is "PNS" or "Guru" or "TNI/Polri") && m.Education < 5)
                {
                    occupation = "Wiraswasta";
                }
            }
            m.Occupation = occupation;
            if (occupation is "Mengurus Rumah Tangga" or "Tidak Bekerja")
            {
                return;
            }
            m.Working = true;
            var baseIncome = occupation switch
            {
                "Buruh Tani" => 900_000,
                "Buruh Harian Lepas" => 1_200_000,
                "Buruh Bangunan" => 1_800_000,
                "Petani" => 1_300_000,
                "Pedagang" => 1_900_000,
                "Sopir" => 2_000_000,
                "Karyawan Swasta" => 2_200_000, // UMK Sragen 2024 ≈ Rp2,05 juta
                "Wiraswasta" => 2_400_000,
                "Guru" => 3_000_000,
                _ => 4_500_000, // PNS, TNI/Polri
            };
            var income = baseIncome * Math.Exp(0.3 * ws + 0.35 * DemoHousehold.Gaussian(rng)) * (m.Age >= 65 ? 0.6 : 1);
            m.Income = (long)Math.Round(income / 10_000) * 10_000;
        }

        private static readonly string[] _poorJobs = ["Buruh Tani", "Buruh Tani", "Buruh Tani", "Buruh Bangunan", "Buruh Bangunan", "Buruh Harian Lepas", "Buruh Harian Lepas", "Petani"];
        private static readonly string[] _lowerJobs = ["Petani", "Petani", "Buruh Tani", "Buruh Bangunan", "Pedagang", "Wiraswasta", "Karyawan Swasta", "Karyawan Swasta", "Buruh Harian Lepas", "Sopir"];
        private static readonly string[] _middleJobs = ["Petani", "Karyawan Swasta", "Karyawan Swasta", "Wiraswasta", "Wiraswasta", "Pedagang", "Pedagang", "Sopir", "Guru", "Buruh Bangunan"];
        private static readonly string[] _upperJobs = ["PNS", "PNS", "Karyawan Swasta", "Karyawan Swasta", "Wiraswasta", "Wiraswasta", "Pedagang", "Guru", "TNI/Polri", "Petani"];

        // --- faults and writing --------------------------------------------------------------------------------

        // The previous family's members, a source for duplicate persons (someone registered in two KKs).
        private readonly List<(string Name, int Sex, DateOnly BirthDate, int Marital, string Place, int Education, string Nik, int Age)> _recent = [];
        private int _temporarySerial;
        // A "Siti Aminah" waiting for a namesake of another age in the next family of her village.
        private (string Village, string Nik, DateOnly BirthDate)? _namesake;

        private FaultKind InjectFault(Random frng, FamilyFields family, Village village)
        {
            var kind = (FaultKind)(1 + frng.Next(4));
            if (kind == FaultKind.ConflictingFloor && _members.Count < 2)
            {
                kind = FaultKind.WrongNikDate;
            }
            if (kind == FaultKind.DuplicatePerson && _recent.Count == 0)
            {
                kind = FaultKind.WrongNikDate;
            }
            switch (kind)
            {
                case FaultKind.DuplicatePerson:
                    var (name, sex, birth, marital, place, education, sourceNik, age) = _recent[frng.Next(_recent.Count)];
                    var (dupName, namePattern) = IndonesianNames.DuplicateName(name, sex, age, frng);
                    var dup = new DemoMember
                    {
                        Role = 9,
                        Sex = sex,
                        BirthDate = birth,
                        Age = Math.Max(0, _today.Year - birth.Year - (birth.DayOfYear > _today.DayOfYear ? 1 : 0)),
                        Marital = marital,
                        Name = dupName,
                        BirthPlace = place,
                        Education = education,
                        Schooling = education == 1 ? 0 : 2,
                        Occupation = "Tidak Bekerja",
                    };
                    var nikPattern = DuplicateNik(frng, dup, sourceNik, village);
                    family.Duplicate = dup;
                    Planted.Add(new PlantedPair(sourceNik, dup.Nik, nikPattern + "+" + namePattern, Same: true));
                    break;
                case FaultKind.WrongNikDate:
                    // The NIK keeps a date that no longer matches TANGGAL_LAHIR (the date was corrected later).
                    var m = _members[frng.Next(_members.Count)];
                    var wrong = m.BirthDate.AddDays(1 + frng.Next(200));
                    m.Nik = NikFor(village.District6, wrong, m.Sex);
                    break;
                case FaultKind.MissingHead:
                    break;
            }
            return kind;
        }

        /// <summary>
        /// The duplicate's NIK, by one of the patterns registries are full of: the same NIK with one digit wrong or two
        /// adjacent digits swapped (in the birth date part, so the NIK stays valid), OpenSID's temporary number
        /// (<c>0</c> + desa code + serial), a second NIK issued for the same person, or one issued from a birth date
        /// with day and month swapped. A NIK that would collide with one issued is replaced by a fresh one.
        /// </summary>
        private string DuplicateNik(Random frng, DemoMember dup, string sourceNik, Village village)
        {
            switch (frng.Next(5))
            {
                case 0 or 1 when sourceNik[0] != '0':
                    var chars = sourceNik.ToCharArray();
                    var swap = frng.Next(2) == 1 && chars[10] != chars[11];
                    if (swap)
                    {
                        (chars[10], chars[11]) = (chars[11], chars[10]);
                    }
                    else
                    {
                        chars[11] = (char)('0' + ((chars[11] - '0' + 1 + frng.Next(9)) % 10));
                    }
                    var typo = new string(chars);
                    var key = long.Parse(typo.AsSpan(0, 12), CultureInfo.InvariantCulture);
                    var serial = int.Parse(typo.AsSpan(12, 4), CultureInfo.InvariantCulture);
                    if (Nik.TryParse(typo, _today, out _) is null && _nikSerials.GetValueOrDefault(key) < serial)
                    {
                        // Reserve the serial: later NIKs of that date start after it.
                        _nikSerials[key] = serial;
                        dup.Nik = typo;
                        return swap ? "nik-tertukar" : "nik-satu-digit";
                    }
                    break;
                case 2:
                    _temporarySerial++;
                    dup.Nik = "0" + RegionCode.ToPlain(village.Code) + ((_input.SerialBase * 10 + _temporarySerial) % 100_000).ToString("00000", CultureInfo.InvariantCulture);
                    return "nik-sementara";
                case 3 when dup.BirthDate.Day <= 12 && dup.BirthDate.Day != dup.BirthDate.Month:
                    dup.BirthDate = new DateOnly(dup.BirthDate.Year, dup.BirthDate.Day, dup.BirthDate.Month);
                    dup.Nik = NikFor(village.District6, dup.BirthDate, dup.Sex);
                    return "tanggal-tertukar";
            }
            dup.Nik = NikFor(village.District6, dup.BirthDate, dup.Sex); // a NEW NIK: the same person issued twice
            return "nik-baru";
        }

        /// <summary>
        /// A different person who looks like one already in the family or village (the traps of duplicate finding):
        /// a twin (same family and birth date, consecutive NIK), a son named after his father, or a second
        /// "Siti Aminah" of another generation in the same village.
        /// </summary>
        private void PlantLookAlike(Random hrng, FamilyFields family, Village village, bool headWritten)
        {
            DemoMember Copy(DemoMember m) => new()
            {
                Role = m.Role,
                Sex = m.Sex,
                Age = m.Age,
                Marital = m.Marital,
                BirthDate = m.BirthDate,
                Name = m.Name,
                Education = m.Education,
                Schooling = m.Schooling,
                Occupation = m.Occupation,
                Working = m.Working,
                Income = m.Income,
                Disability = 0,
                BirthPlace = m.BirthPlace,
            };
            int AgeAt(DateOnly birth) => _today.Year - birth.Year - (birth.DayOfYear > _today.DayOfYear ? 1 : 0);
            var head = _members[0];
            switch (hrng.Next(3))
            {
                case 0 when _members.FirstOrDefault(m => m.Role == 4) is { } child:
                    var twin = Copy(child);
                    twin.Sex = 1 + hrng.Next(2);
                    for (var k = 0; k < 8 && NameKey.For(twin.Name.Split(' ')[0]) == NameKey.For(child.Name.Split(' ')[0]); k++)
                    {
                        twin.Name = IndonesianNames.Draw(hrng, twin.Sex, child.BirthDate.Year);
                    }
                    twin.Nik = NikFor(village.District6, twin.BirthDate, twin.Sex);
                    family.LookAlikes.Add(twin);
                    Planted.Add(new PlantedPair(child.Nik, twin.Nik, "kembar", Same: false));
                    break;
                case 1 when headWritten && head.Sex == 1 && head.Age >= 45:
                    var son = Copy(head);
                    son.Role = 4;
                    son.BirthDate = head.BirthDate.AddYears(22 + hrng.Next(8)).AddDays(hrng.Next(300));
                    son.Age = AgeAt(son.BirthDate);
                    son.Marital = 1;
                    son.Nik = NikFor(village.District6, son.BirthDate, son.Sex);
                    family.LookAlikes.Add(son);
                    Planted.Add(new PlantedPair(head.Nik, son.Nik, "anak-senama-ayah", Same: false));
                    break;
                case 2:
                    PlantNamesake(hrng, family, village, null);
                    break;
            }
        }

        /// <summary>A "Siti Aminah"; the second one (next family of the village) a generation apart from the first.</summary>
        private void PlantNamesake(Random hrng, FamilyFields family, Village village, (string Village, string Nik, DateOnly BirthDate)? first)
        {
            var head = _members[0];
            var woman = new DemoMember
            {
                Role = 9,
                Sex = 2,
                Marital = 2,
                Name = "Siti Aminah",
                Education = head.Education,
                Schooling = head.Schooling,
                Occupation = "Mengurus Rumah Tangga",
                BirthPlace = head.BirthPlace,
            };
            woman.BirthDate = first is not { } other
                ? _today.AddYears(-(25 + hrng.Next(45))).AddDays(-hrng.Next(365))
                : other.BirthDate.AddYears(other.BirthDate.Year < _today.Year - 50 ? 20 + hrng.Next(10) : -(20 + hrng.Next(10)));
            woman.Age = _today.Year - woman.BirthDate.Year - (woman.BirthDate.DayOfYear > _today.DayOfYear ? 1 : 0);
            woman.Nik = NikFor(village.District6, woman.BirthDate, woman.Sex);
            family.LookAlikes.Add(woman);
            if (first is { } pair)
            {
                _namesake = null;
                Planted.Add(new PlantedPair(pair.Nik, woman.Nik, "siti-aminah-beda-usia", Same: false));
            }
            else
            {
                _namesake = (village.Code, woman.Nik, woman.BirthDate);
            }
        }

        private void WriteFamily(StringBuilder row, FamilyFields family, FaultKind fault)
        {
            var first = fault == FaultKind.MissingHead && _members.Count > 1 ? 1 : 0;
            for (var k = first; k < _members.Count; k++)
            {
                var m = _members[k];
                var prefix = fault == FaultKind.ConflictingFloor && k == _members.Count - 1 ? family.ConflictingPrefix : family.Prefix;
                // A single-member family that loses its head keeps the row but as "lainnya" (11).
                var role = fault == FaultKind.MissingHead && k == 0 ? 11 : m.Role;
                WritePerson(row, prefix, m, role);
            }
            if (family.Duplicate is { } dup)
            {
                WritePerson(row, family.Prefix, dup, dup.Role);
            }
            _recent.Clear();
            foreach (var m in _members.Skip(first))
            {
                _recent.Add((m.Name, m.Sex, m.BirthDate, m.Marital, m.BirthPlace, m.Education, m.Nik, m.Age));
            }
            foreach (var extra in family.LookAlikes)
            {
                WritePerson(row, family.Prefix, extra, extra.Role);
            }
            Persons += _members.Count - first + (family.Duplicate is null ? 0 : 1) + family.LookAlikes.Count;
        }

        private static void WritePerson(StringBuilder row, string prefix, DemoMember m, int role)
        {
            row.Append(prefix);
            row.Append(m.Nik).Append(',').Append(m.Name).Append(',');
            row.Append(CultureInfo.InvariantCulture, $"{m.Sex},{m.BirthPlace},{m.BirthDate:yyyy-MM-dd},{role},{m.Marital},{m.Education},{m.Schooling},");
            row.Append(m.Working ? "1," : "0,").Append(m.Occupation).Append(',');
            row.Append(CultureInfo.InvariantCulture, $"{m.Income},{m.Disability},");
            row.Append(m.Chronic ? "1," : "0,").Append(m.Pregnant ? '1' : '0').Append('\n');
        }
    }
}
