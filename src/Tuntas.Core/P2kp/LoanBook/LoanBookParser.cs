using Tuntas.Registry;

namespace Tuntas.P2kp.LoanBook;

/// <summary>
/// Reads every sheet of a loan book into typed rows and reports each cell's own errors (LOAN-BOOK-FORMAT.md §1–2, §6):
/// required sheets and columns, empty cells, dates, months, amounts, rates, codes, NIKs. A field with an error is left
/// null so that the cross-sheet checks of <see cref="ImportLoanBook"/> skip it. Village codes are checked against
/// <paramref name="villages"/> (the region table).
/// </summary>
public sealed class LoanBookParser(IReadOnlySet<string> villages, DateOnly today, LoanBookReport report)
{
    private readonly IReadOnlySet<string> _villages = villages;
    private readonly DateOnly _today = today;
    private readonly LoanBookReport _report = report;

    public sealed record UpkRow(long Row, string? Kode, string? Name, string? KodeDesa, DateOnly? FoundedOn);
    public sealed record KsmRow(long Row, string? Kode, string? UpkKode, string? Name, string? KodeDesa, string? Jenis, DateOnly? FormedOn, string? KetuaNik, bool KetuaNikGiven);
    public sealed record MemberRow(long Row, string? KsmKode, string? Nik, string? Name, string? Role);
    public sealed record LoanRow(long Row, string? Nomor, string? KsmKode, DateOnly? DisbursedOn, long? Principal, int? RateHundredths, string? Method, int? Term, DateOnly? FirstDue);
    public readonly record struct PaymentRow(long Row, string? Nomor, DateOnly? PaidOn, long? Principal, long? Service);
    public sealed record OperationRow(long Row, string? UpkKode, string? Month, long? Income, long? Costs);
    public sealed record CapitalRow(long Row, string? UpkKode, string? Source, DateOnly? ReceivedOn, long? Amount);

    public static readonly string[] Jenis = ["EKONOMI", "SOSIAL", "LINGKUNGAN"];
    public static readonly string[] Peran = ["KETUA", "SEKRETARIS", "BENDAHARA", "ANGGOTA"];
    public static readonly string[] Metode = [P2kp.Loans.LoanSchedule.Flat, P2kp.Loans.LoanSchedule.Declining];
    public static readonly string[] Sumber = ["BLM_APBN", "APBD", "SWADAYA", "CSR", "LAINNYA"];

    private static readonly Dictionary<string, (string[] Required, string[] Optional)> _columns = new(StringComparer.Ordinal)
    {
        ["UPK"] = (["KODE_UPK", "NAMA_UPK", "KODE_DESA"], ["TANGGAL_BERDIRI"]),
        ["KSM"] = (["KODE_KSM", "KODE_UPK", "NAMA_KSM", "KODE_DESA", "JENIS"], ["TANGGAL_BENTUK", "NIK_KETUA"]),
        ["ANGGOTA"] = (["KODE_KSM", "NIK", "NAMA", "PERAN"], []),
        ["PINJAMAN"] = (["NO_PINJAMAN", "KODE_KSM", "TANGGAL_CAIR", "POKOK", "JASA_PERSEN_BULAN", "METODE", "JANGKA_BULAN", "TANGGAL_ANGSURAN_PERTAMA"], []),
        ["PEMBAYARAN"] = (["NO_PINJAMAN", "TANGGAL_BAYAR", "POKOK", "JASA"], []),
        ["OPERASIONAL"] = (["KODE_UPK", "BULAN", "PENDAPATAN", "BIAYA"], []),
        ["MODAL"] = (["KODE_UPK", "SUMBER", "TANGGAL", "JUMLAH"], []),
    };

    public List<UpkRow> Upks { get; } = [];
    public List<KsmRow> Ksms { get; } = [];
    public List<MemberRow> Members { get; } = [];
    public List<LoanRow> Loans { get; } = [];
    public List<PaymentRow> Payments { get; } = [];
    public List<OperationRow> Operations { get; } = [];
    public List<CapitalRow> Capital { get; } = [];
    public HashSet<string> SheetsSeen { get; } = new(StringComparer.Ordinal);

    public void Read(LoanBookSheets.Sheet sheet)
    {
        if (!SheetsSeen.Add(sheet.Name))
        {
            return;
        }
        var (required, optional) = _columns[sheet.Name];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sheet.Header.Count; i++)
        {
            var name = sheet.Header[i].Trim().ToUpperInvariant();
            if (name.Length == 0)
            {
                continue;
            }
            if (required.Contains(name) || optional.Contains(name))
            {
                index.TryAdd(name, i);
            }
            else
            {
                _report.Warnings.Add(LoanBookMessages.Issue(sheet.Name, 1, name, sheet.Header[i], "UNKNOWN_COLUMN"));
            }
        }
        var missing = required.Where(c => !index.ContainsKey(c)).ToList();
        foreach (var column in missing)
        {
            _report.Errors.Add(LoanBookMessages.Issue(sheet.Name, 1, column, null, "COLUMN_MISSING"));
        }
        long count = 0;
        foreach (var (row, cells) in sheet.Rows)
        {
            count++;
            if (missing.Count > 0)
            {
                continue;
            }
            var r = new RowReader(this, sheet, row, cells, index);
            switch (sheet.Name)
            {
                case "UPK":
                    Upks.Add(new(row, r.Key("KODE_UPK"), r.Text("NAMA_UPK"), r.Desa("KODE_DESA"), r.Date("TANGGAL_BERDIRI", optional: true)));
                    break;
                case "KSM":
                    var ketua = r.Nik("NIK_KETUA", optional: true);
                    Ksms.Add(new(row, r.Key("KODE_KSM"), r.Key("KODE_UPK"), r.Text("NAMA_KSM"), r.Desa("KODE_DESA"), r.Code("JENIS", Jenis),
                        r.Date("TANGGAL_BENTUK", optional: true), ketua, r.Has("NIK_KETUA")));
                    break;
                case "ANGGOTA":
                    Members.Add(new(row, r.Key("KODE_KSM"), r.Nik("NIK"), r.Text("NAMA"), r.Code("PERAN", Peran)));
                    break;
                case "PINJAMAN":
                    Loans.Add(new(row, r.Key("NO_PINJAMAN"), r.Key("KODE_KSM"), r.Date("TANGGAL_CAIR"), r.Amount("POKOK", 1), r.Rate("JASA_PERSEN_BULAN"),
                        r.Code("METODE", Metode), (int?)r.Whole("JANGKA_BULAN", 1, 36), r.Date("TANGGAL_ANGSURAN_PERTAMA")));
                    break;
                case "PEMBAYARAN":
                    Payments.Add(new(row, r.Key("NO_PINJAMAN"), r.Date("TANGGAL_BAYAR"), r.Amount("POKOK", 0), r.Amount("JASA", 0)));
                    break;
                case "OPERASIONAL":
                    Operations.Add(new(row, r.Key("KODE_UPK"), r.Month("BULAN"), r.Amount("PENDAPATAN", 0), r.Amount("BIAYA", 0)));
                    break;
                case "MODAL":
                    Capital.Add(new(row, r.Key("KODE_UPK"), r.Code("SUMBER", Sumber), r.Date("TANGGAL"), r.Amount("JUMLAH", 1)));
                    break;
            }
        }
        _report.Counts[sheet.Name] = count;
    }

    /// <summary>Reports the required sheets that never appeared.</summary>
    public void Finish()
    {
        foreach (var name in new[] { "UPK", "KSM", "PINJAMAN" }.Where(n => !SheetsSeen.Contains(n)))
        {
            _report.Errors.Add(LoanBookMessages.Issue(name, null, null, null, "SHEET_MISSING", name));
        }
    }

    private readonly struct RowReader(LoanBookParser parser, LoanBookSheets.Sheet sheet, long row, string[] cells, Dictionary<string, int> index)
    {
        private string Cell(string column) =>
            index.TryGetValue(column, out var i) && i < cells.Length ? cells[i].Trim() : "";

        public bool Has(string column) => Cell(column).Length > 0;

        private void Error(string column, string value, string code, string? detail = null) =>
            parser._report.Errors.Add(LoanBookMessages.Issue(sheet.Name, row, column, value, code, detail));

        /// <summary>The cell, or null with REQUIRED when empty (and not optional).</summary>
        private string? Value(string column, bool optional)
        {
            var text = Cell(column);
            if (text.Length > 0)
            {
                return text;
            }
            if (!optional)
            {
                Error(column, "", "REQUIRED");
            }
            return null;
        }

        public string? Text(string column) => Value(column, false);

        public string? Key(string column) => Value(column, false);

        public string? Code(string column, string[] allowed)
        {
            var text = Value(column, false);
            if (text is null)
            {
                return null;
            }
            var upper = text.ToUpperInvariant();
            if (allowed.Contains(upper))
            {
                return upper;
            }
            Error(column, text, "INVALID_CODE", string.Join(", ", allowed));
            return null;
        }

        public string? Desa(string column)
        {
            var text = Value(column, false);
            if (text is null)
            {
                return null;
            }
            if (Regions.RegionCode.ToDotted(text) is { Length: 13 } code && parser._villages.Contains(code))
            {
                return code;
            }
            Error(column, text, "UNKNOWN_DESA");
            return null;
        }

        public string? Nik(string column, bool optional = false)
        {
            var text = Value(column, optional);
            if (text is null)
            {
                return null;
            }
            if (Registry.Nik.TryParse(text, parser._today, out var parsed) is null)
            {
                return parsed.Value;
            }
            Error(column, text, "NIK_FORMAT");
            return null;
        }

        /// <summary>Text YYYY-MM-DD that is a real date, or an XLSX date (a date cell, or its numeric serial in the 1900 system).</summary>
        public DateOnly? Date(string column, bool optional = false)
        {
            var text = Value(column, optional);
            if (text is null)
            {
                return null;
            }
            if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
            if (sheet.FromXlsx && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial)
                && serial == Math.Floor(serial) && serial is >= 1 and < 2958466)
            {
                return DateOnly.FromDateTime(DateTime.FromOADate(serial));
            }
            Error(column, text, "DATE_FORMAT", "YYYY-MM-DD");
            return null;
        }

        public string? Month(string column)
        {
            var text = Value(column, false);
            if (text is null)
            {
                return null;
            }
            if (text.Length == 7 && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return text;
            }
            Error(column, text, "DATE_FORMAT", "YYYY-MM");
            return null;
        }

        /// <summary>Whole rupiah: digits only, or (XLSX) a numeric cell holding a whole number.</summary>
        public long? Amount(string column, long min) => Whole(column, min, long.MaxValue);

        public long? Whole(string column, long min, long max)
        {
            var text = Value(column, false);
            if (text is null)
            {
                return null;
            }
            long value;
            var digits = text.StartsWith('-') ? text[1..] : text;
            if (digits.Length is > 0 and <= 18 && digits.All(char.IsAsciiDigit))
            {
                value = long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            else if (sheet.FromXlsx && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number == Math.Floor(number) && Math.Abs(number) < 1e18)
            {
                value = (long)number;
            }
            else
            {
                Error(column, text, "NOT_A_NUMBER");
                return null;
            }
            if (value < min || value > max)
            {
                Error(column, text, "OUT_OF_RANGE", max == long.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"≥ {min}")
                    : string.Create(CultureInfo.InvariantCulture, $"{min}–{max}"));
                return null;
            }
            return value;
        }

        /// <summary>Monthly service rate in percent with a <c>.</c> decimal point, 0–10, at most two decimals; returned in hundredths.</summary>
        public int? Rate(string column)
        {
            var text = Value(column, false);
            if (text is null)
            {
                return null;
            }
            // A sign is read so that "-1" is said to be out of 0-10, not "not a number".
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rate))
            {
                Error(column, text, "NOT_A_NUMBER");
                return null;
            }
            if (rate is < 0 or > 10 || rate * 100 != Math.Floor(rate * 100))
            {
                Error(column, text, "OUT_OF_RANGE", "0–10, ≤ 2 desimal / decimals");
                return null;
            }
            return (int)(rate * 100);
        }
    }
}
