using System.IO.Compression;
using Tuntas.Regions;

namespace Tuntas.Registry.Exports;

/// <summary>
/// The registry back out of Tuntas in another system's layout (docs/import-profiles.md, "Back out to OpenSID" and
/// "The registry in the DTKS layout"): <see cref="OpenSid"/> — OpenSID's population import file, so a village's OpenSID
/// can be brought in line with the verified data — and <see cref="Dtks"/> — OpenSID's REGSOSEK2022.K (DTKS) workbook.
/// One village, or every village the reader's <see cref="AccessScope"/> covers (a village operator gets only their
/// village). The files hold full NIKs: only <see cref="RegistryPermissions.Export"/> may ask, and the web app records
/// each download as a personal-data read.
/// </summary>
public static class RegistryExport
{
    public const string OpenSid = "opensid";
    public const string Dtks = "dtks";

    public static IReadOnlyList<string> Formats { get; } = [OpenSid, Dtks];

    /// <summary>A checked request: the format, the village (dotted) or null for the whole scope, CSV or XLSX.</summary>
    public sealed record Request(string Format, string? Village, bool Csv, AccessScope Scope, bool Sensitive)
    {
        /// <summary>OpenSID for the whole scope is one file per village (an OpenSID installation serves one village), in a ZIP.</summary>
        public bool Zip => Format == OpenSid && Village is null;

        public string FileName
        {
            get
            {
                var where = Village is { } v ? RegionCode.ToPlain(v) : Scope.Regions is [var only] ? RegionCode.ToPlain(only) : "wilayah";
                return Format == Dtks ? $"dtks-regsosek2022k-{where}.xlsx"
                    : Zip ? $"opensid-penduduk-{where}.zip"
                    : $"opensid-penduduk-{where}.{(Csv ? "csv" : "xlsx")}";
            }
        }

        public string ContentType => Zip ? "application/zip" : Csv ? TableExport.CsvContentType : TableExport.XlsxContentType;
    }

    /// <summary>What was written: villages (files in a ZIP), families, persons, and occupations OpenSID's list does not know.</summary>
    public sealed record Outcome(int Villages, int Families, int Persons, int UnknownOccupations);

    /// <summary>
    /// Checks a request before anything is written: a known format, a valid village inside the reader's scope, CSV only
    /// for OpenSID (the DTKS layout is two sheets). <paramref name="sensitive"/>: the reader may see health data (a DTKS
    /// member's pregnancy).
    /// </summary>
    public static Request? Check(string? format, string? village, string? fileType, AccessScope scope, bool sensitive, out IReadOnlyList<Problem> problems)
    {
        var found = new List<Problem>();
        var name = (format ?? "").Trim().ToLowerInvariant();
        if (!Formats.Contains(name))
        {
            found.Add(new Problem("format", "EXPORT_FORMAT", $"Format ekspor '{format}' tidak dikenal; pilih {string.Join(" atau ", Formats)}.",
                $"Unknown export format '{format}'; choose {string.Join(" or ", Formats)}."));
        }
        var type = (fileType ?? "xlsx").Trim().ToLowerInvariant();
        if (type is not ("xlsx" or "csv"))
        {
            found.Add(new Problem("file", "EXPORT_FILE_TYPE", $"Jenis berkas '{fileType}' tidak dikenal; pilih xlsx atau csv.", $"Unknown file type '{fileType}'; choose xlsx or csv."));
        }
        else if (type == "csv" && name == Dtks)
        {
            found.Add(new Problem("file", "EXPORT_DTKS_CSV", "Susunan DTKS terdiri dari dua lembar (Keluarga, Anggota Keluarga): hanya .xlsx.",
                "The DTKS layout has two sheets (Keluarga, Anggota Keluarga): .xlsx only."));
        }
        string? dotted = null;
        if (!string.IsNullOrWhiteSpace(village))
        {
            dotted = RegionCode.ToDotted(village.Trim());
            if (dotted is not { Length: 13 })
            {
                found.Add(new Problem("village", "VILLAGE_CODE", $"Kode desa '{village}' tidak sah; tulis 33.14.01.2001 atau 3314012001.",
                    $"Village code '{village}' is not valid; write 33.14.01.2001 or 3314012001."));
                dotted = null;
            }
            else if (!scope.CoversVillage(dotted))
            {
                found.Add(new Problem("village", "VILLAGE_OUT_OF_SCOPE", $"Desa {dotted} di luar wilayah Anda.", $"Village {dotted} is outside your region."));
            }
        }
        problems = found;
        return found.Count > 0 ? null : new Request(name, dotted, type == "csv", scope, sensitive);
    }

    /// <summary>
    /// <see cref="Check"/>, then the village asked for must hold families in the registry. A mistyped code, a village of
    /// another regency or one never imported would otherwise give a file with a header and no row, reported as written,
    /// that an operator might send to the village as its data.
    /// </summary>
    public static async Task<(Request? Request, IReadOnlyList<Problem> Problems)> CheckAsync(TuntasDb db, string? format, string? village, string? fileType,
        AccessScope scope, bool sensitive, CancellationToken cancellationToken)
    {
        if (Check(format, village, fileType, scope, sensitive, out var problems) is not { } request)
        {
            return (null, problems);
        }
        if (request.Village is { } dotted && !await db.Families.AsNoTracking().AnyAsync(f => f.KodeDesa == dotted, cancellationToken))
        {
            var name = await db.Regions.AsNoTracking().Where(r => r.Code == dotted).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken);
            return (null, [name is null
                ? new Problem("village", "VILLAGE_UNKNOWN", $"Kode desa {dotted} tidak dikenal: periksa kodenya. Tidak ada yang diekspor.",
                    $"Village code {dotted} is not known: check the code. Nothing was exported.")
                : new Problem("village", "VILLAGE_NO_FAMILIES", $"Desa {name} ({dotted}) belum punya keluarga di data terpadu: tidak ada yang diekspor.",
                    $"Village {name} ({dotted}) has no family in the registry yet: nothing was exported.")]);
        }
        return (request, []);
    }

    /// <summary>Writes the export to <paramref name="output"/> (seekable for XLSX: a workbook is a ZIP package); streamed,
    /// never the whole registry in memory.</summary>
    /// <param name="regency">The installation's regency, for its time zone (the DTKS workbook's dates).</param>
    public static async Task<Outcome> WriteAsync(Request request, TuntasDb db, TimeProvider clock, Stream output, CancellationToken cancellationToken,
        RegencyOptions? regency = null)
    {
        if (request.Format == Dtks)
        {
            return await new ExportDtks(db, clock, regency).RunAsync(request, output, cancellationToken);
        }
        var export = new ExportOpenSid(db);
        if (!request.Zip)
        {
            return await export.RunAsync(request, output, cancellationToken);
        }
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        return await export.RunPerVillageAsync(request, village =>
            zip.CreateEntry($"opensid-penduduk-{RegionCode.ToPlain(village)}.{(request.Csv ? "csv" : "xlsx")}", CompressionLevel.Fastest).Open(), cancellationToken);
    }
}
