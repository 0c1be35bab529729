using Tuntas.Imports.Profiles;

namespace Tuntas.Registry.Exports;

/// <summary>
/// A village's registry as OpenSID's population import file — the file OpenSID's own "Ekspor ke format Impor Excel"
/// writes (Export_model::export_excel, v2410) and its importer reads (Impor_model::$daftar_kolom): the sheet
/// "Data Penduduk", the 43 lower-case columns of <see cref="OpenSidPendudukLayout.Columns"/> in their order, codes as
/// OpenSID's numbers, one row per person ordered by NO_KK and relationship (as OpenSID orders it), and every member
/// whatever their life status, with <c>status_dasar</c> (OpenSID's export does not filter it either: a dead or moved
/// person must reach the village's OpenSID as such). Temporary NIKs are written as stored (<c>0</c> + the 10-digit
/// village code + a serial), as OpenSID writes its own. What Tuntas does not hold (religion, documents, parents…) is
/// left empty, which OpenSID's importer reads as "not given". The <c>opensid-penduduk</c> import profile reads the
/// file back to the same registry (tested); the mapping is in docs/import-profiles.md, "Back out to OpenSID".
/// </summary>
public sealed class ExportOpenSid(TuntasDb db)
{
    private static readonly IReadOnlyDictionary<string, int> _position =
        OpenSidPendudukLayout.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    /// <summary>One person with their family's fields: what the query reads, nothing more.</summary>
    private sealed record Row(
        string KodeDesa, long FamilyId, string NoKk, string? Alamat, string? Rt, string? Rw, double? Lintang, double? Bujur,
        string Nik, string Nama, int JenisKelamin, string? TempatLahir, DateOnly TanggalLahir, int HubunganKk, int StatusKawin,
        int Pendidikan, string? Pekerjaan, int Disabilitas, bool? Hamil, int StatusHidup);

    /// <summary>One village (<see cref="RegistryExport.Request.Village"/>) to one file.</summary>
    public async Task<RegistryExport.Outcome> RunAsync(RegistryExport.Request request, Stream output, CancellationToken cancellationToken)
    {
        var counts = new Counts();
        using (var sheet = ExportSheet.Open(output, request.Csv, OpenSidPendudukLayout.SheetName))
        {
            sheet.Row(OpenSidPendudukLayout.Columns);
            var cells = new object?[OpenSidPendudukLayout.Columns.Count];
            await foreach (var row in Query(request).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                sheet.Row(Fill(cells, row, counts, request.Sensitive));
            }
        }
        return counts.Outcome(counts.Persons > 0 ? 1 : 0);
    }

    /// <summary>Every village of the scope, one file each, from one ordered read: <paramref name="open"/> gives the stream
    /// of a village's file (a ZIP entry), written whole before the next village begins.</summary>
    public async Task<RegistryExport.Outcome> RunPerVillageAsync(RegistryExport.Request request, Func<string, Stream> open, CancellationToken cancellationToken)
    {
        var counts = new Counts();
        var villages = 0;
        string? current = null;
        VillageFile? file = null;
        var cells = new object?[OpenSidPendudukLayout.Columns.Count];
        try
        {
            await foreach (var row in Query(request).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (row.KodeDesa != current)
                {
                    if (file is not null)
                    {
                        await file.CloseAsync(cancellationToken);
                        file = null;
                    }
                    current = row.KodeDesa;
                    villages++;
                    file = new VillageFile(open(current), request.Csv);
                    file.Sheet.Row(OpenSidPendudukLayout.Columns);
                }
                file!.Sheet.Row(Fill(cells, row, counts, request.Sensitive));
            }
            if (file is not null)
            {
                await file.CloseAsync(cancellationToken);
                file = null;
            }
        }
        finally
        {
            file?.Dispose();
        }
        return counts.Outcome(villages);
    }

    private IQueryable<Row> Query(RegistryExport.Request request)
    {
        var families = request.Scope.Apply(db.Families.AsNoTracking());
        if (request.Village is { } village)
        {
            families = families.Where(f => f.KodeDesa == village);
        }
        // Export_model orders by no_kk, kk_level; the village first so a regency's export is one village after another.
        return from f in families
               join p in db.Persons.AsNoTracking() on f.Id equals p.FamilyId
               orderby f.KodeDesa, f.NoKk, p.HubunganKk, p.TanggalLahir, p.Id
               select new Row(f.KodeDesa, f.Id, f.NoKk, f.Alamat, f.Rt, f.Rw, f.Lintang, f.Bujur, p.Nik, p.Nama, p.JenisKelamin, p.TempatLahir,
                   p.TanggalLahir, p.HubunganKk, p.StatusKawin, p.Pendidikan, p.Pekerjaan, p.Disabilitas, p.Hamil, p.StatusHidup);
    }

    private static object?[] Fill(object?[] cells, Row row, Counts counts, bool sensitive)
    {
        Array.Clear(cells);
        counts.Add(row.FamilyId);
        var (alamat, dusun) = SplitDusun(row.Alamat);
        Set(cells, "alamat", alamat);
        // An unknown RT and RW are "-", as Export_model writes them and as the "-" rows OpenSID's importer creates under
        // every dusun (Impor_model::tulisWilayah). An unknown dusun is left empty: the importer takes "-" as a dusun's
        // name (it applies cekKosong to neither dusun, RT nor RW), so "-" would create a dusun "-" for a new person and,
        // for a person OpenSID already holds, refuse the row ("Tidak dapat mengubah dusun"); an empty dusun is not
        // compared.
        Set(cells, "dusun", dusun ?? "");
        Set(cells, "rw", string.IsNullOrEmpty(row.Rw) ? "-" : row.Rw);
        Set(cells, "rt", string.IsNullOrEmpty(row.Rt) ? "-" : row.Rt);
        Set(cells, "nama", row.Nama);
        Set(cells, "no_kk", row.NoKk);
        Set(cells, "nik", row.Nik);
        Set(cells, "sex", row.JenisKelamin);
        Set(cells, "tempatlahir", row.TempatLahir ?? "");
        Set(cells, "tanggallahir", row.TanggalLahir.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        // Tuntas keeps the Dukcapil KK education codes, SHDK and marital status as OpenSID does: the same numbers.
        Set(cells, "pendidikan_kk_id", row.Pendidikan);
        Set(cells, "pekerjaan_id", PekerjaanCode(row.Pekerjaan, counts));
        Set(cells, "status_kawin", row.StatusKawin);
        Set(cells, "kk_level", row.HubunganKk);
        // tweb_cacat and ref_penduduk_hamil: the import's code lists read backwards (7 "TIDAK CACAT" is Tuntas' 0; 1
        // hamil, 2 tidak hamil, unknown stays empty).
        // Disability and pregnancy are health data (UU PDP 27/2022 Pasal 4(2)): only for readers who may see sensitive
        // fields. Left empty otherwise, which OpenSID's importer, and the registry's, read as "leave as it is".
        Set(cells, "cacat_id", sensitive ? OpenSidPendudukLayout.Cacat.CodeOf(row.Disabilitas) : null);
        Set(cells, "hamil", sensitive ? OpenSidPendudukLayout.Hamil.CodeOf(row.Hamil) : null);
        Set(cells, "status_dasar", LifeStatus.ToStatusDasar(row.StatusHidup));
        Set(cells, "lat", row.Lintang?.ToString("R", CultureInfo.InvariantCulture));
        Set(cells, "lng", row.Bujur?.ToString("R", CultureInfo.InvariantCulture));
        return cells;
    }

    private static void Set(object?[] cells, string column, object? value) => cells[_position[column]] = value;

    /// <summary>
    /// The import appends OpenSID's dusun to the address as ", Dusun X" (or "Dusun X" alone); the export splits it off
    /// again so the village's OpenSID gets its dusun back. A dusun the file named "DUSUN X" was kept as written, so it is
    /// given back whole; an address without one has no dusun.
    /// </summary>
    public static (string Alamat, string? Dusun) SplitDusun(string? alamat)
    {
        if (string.IsNullOrEmpty(alamat))
        {
            return ("", null);
        }
        var at = alamat.LastIndexOf(", ", StringComparison.Ordinal);
        var (street, tail) = at >= 0 ? (alamat[..at], alamat[(at + 2)..]) : ("", alamat);
        if (!tail.StartsWith("DUSUN ", StringComparison.OrdinalIgnoreCase) || tail.Length <= 6)
        {
            return (alamat, null);
        }
        return (street, tail.StartsWith("Dusun ", StringComparison.Ordinal) ? tail[6..] : tail);
    }

    private static int? PekerjaanCode(string? pekerjaan, Counts counts)
    {
        var code = OpenSidPendudukLayout.PekerjaanCodeOf(pekerjaan);
        if (code is null && !string.IsNullOrWhiteSpace(pekerjaan))
        {
            counts.UnknownOccupations++;
        }
        return code;
    }

    /// <summary>The occupations of a village (or of the reader's whole scope) that an OpenSID file would leave empty, with
    /// how many persons hold each, most first: said on the export page before the download, so a village is told which
    /// occupations to enter in its OpenSID by hand.</summary>
    public async Task<IReadOnlyList<(string Pekerjaan, int Persons)>> UnknownOccupationsAsync(AccessScope scope, string? village, CancellationToken cancellationToken)
    {
        var families = scope.Apply(db.Families.AsNoTracking());
        if (village is not null)
        {
            families = families.Where(f => f.KodeDesa == village);
        }
        var held = await (from f in families
                          join p in db.Persons.AsNoTracking() on f.Id equals p.FamilyId
                          where p.Pekerjaan != null && p.Pekerjaan != ""
                          group p by p.Pekerjaan into g
                          select new { Pekerjaan = g.Key!, Persons = g.Count() }).ToListAsync(cancellationToken);
        return [.. held.Where(h => OpenSidPendudukLayout.PekerjaanCodeOf(h.Pekerjaan) is null).OrderByDescending(h => h.Persons).ThenBy(h => h.Pekerjaan, StringComparer.Ordinal)
            .Select(h => (h.Pekerjaan, h.Persons))];
    }

    private sealed class Counts
    {
        private long _lastFamily = -1;
        public int Families { get; private set; }
        public int Persons { get; private set; }
        public int UnknownOccupations { get; set; }

        /// <summary>Rows come ordered by family within a village, so a new family id is a new family.</summary>
        public void Add(long familyId)
        {
            Persons++;
            if (familyId != _lastFamily)
            {
                Families++;
                _lastFamily = familyId;
            }
        }

        public RegistryExport.Outcome Outcome(int villages) => new(villages, Families, Persons, UnknownOccupations);
    }

    /// <summary>A village's file inside the ZIP: CSV straight into the entry; XLSX through a temporary file, since a
    /// workbook is itself a ZIP package and needs a seekable stream.</summary>
    private sealed class VillageFile : IDisposable
    {
        private readonly Stream _entry;
        private readonly FileStream? _buffer;

        public VillageFile(Stream entry, bool csv)
        {
            _entry = entry;
            _buffer = csv ? null : new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            Sheet = ExportSheet.Open(_buffer ?? entry, csv, OpenSidPendudukLayout.SheetName);
        }

        public ExportSheet Sheet { get; }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            Sheet.Dispose();
            if (_buffer is not null)
            {
                _buffer.Position = 0;
                await _buffer.CopyToAsync(_entry, cancellationToken);
                await _buffer.DisposeAsync();
            }
            await _entry.DisposeAsync();
        }

        public void Dispose()
        {
            Sheet.Dispose();
            _buffer?.Dispose();
            _entry.Dispose();
        }
    }
}
