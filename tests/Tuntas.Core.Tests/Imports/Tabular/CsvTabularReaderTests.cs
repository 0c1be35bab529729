using System.Text;
using Tuntas.Imports.Tabular;

namespace Tuntas.Core.Tests.Imports.Tabular;

/// <summary>
/// The CSV reader against RFC 4180 and the import's limits, with read buffers of a few bytes so that records, cells,
/// quotes and line breaks fall across a buffer's end as they do every megabyte of a real file.
/// </summary>
public sealed class CsvTabularReaderTests
{
    private static CsvTabularReader Open(byte[] bytes, int bufferBytes = 1 << 20, TabularLimits? limits = null) =>
        new(new MemoryStream(bytes), limits, bufferBytes);

    private static CsvTabularReader Open(string text, int bufferBytes = 1 << 20, TabularLimits? limits = null) =>
        Open(Encoding.UTF8.GetBytes(text), bufferBytes, limits);

    private static List<string[]> Rows(CsvTabularReader reader)
    {
        var rows = new List<string[]>();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader[i];
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Random cells with delimiters, quotes, line breaks and two- and three-byte characters, written as a
    /// spreadsheet writes them (quoted when they must be, sometimes when they need not), read back unchanged. The
    /// first buffer holds the header (the BOM and the delimiter are found there, as in a 1 MB buffer).</summary>
    /// <summary>The delimiter is the character that comes as often on every record, not the one of the first line.</summary>
    [Theory]
    [InlineData("DAFTAR PENERIMA PKH, TAHAP 1\nKABUPATEN SRAGEN\n\nNIK;NAMA;NOMINAL\n3314;Sukijo;0,75\n3315;Suminah;1,5\n", ';', 3)]
    [InlineData("NIK;NAMA;ALAMAT\n3314;Sukijo;Jl. Sukowati, RT 3, RW 1, Krajan\n3315;Parjo;Jl. Ngasem, RT 1\n", ';', 3)]
    [InlineData("NIK,NAMA,ALAMAT\r\n3314,Sukijo;Wiryo,Krajan\r\n3315,Parjo,Ngasem\r\n", ',', 3)]
    [InlineData("NIK;NAMA\r3314;Sukijo, Wiryo\r3315;Parjo, Ngasem\r", ';', 2)]
    [InlineData("NIK,NAMA\n\"3314\",\"Sukijo; Wiryo\"\n", ',', 2)]
    public void The_delimiter_is_found_from_the_records_of_the_first_buffer(string text, char delimiter, int columns)
    {
        using var reader = Open(text);

        Assert.Equal((byte)delimiter, reader.Delimiter);
        Assert.Contains(Rows(reader), row => row.Length == columns);
    }

    [Theory]
    [InlineData(',', 32)]
    [InlineData(',', 33)]
    [InlineData(';', 34)]
    [InlineData(',', 37)]
    [InlineData(';', 41)]
    [InlineData(',', 64)]
    [InlineData(',', 1 << 20)]
    public void Random_cells_are_read_back_as_written_whatever_the_buffer(char delimiter, int bufferBytes)
    {
        var alphabet = new[] { "a", "B", "7", " ", ",", ";", "\"", "\n", "\r", "\r\n", "é", "世", "-" };
        var random = new Random(bufferBytes * 31 + delimiter);
        for (var file = 0; file < 40; file++)
        {
            // Up to 60 columns: a line of a real file is longer than the sixteen bytes compared at once.
            var columns = random.Next(2, file % 4 == 0 ? 60 : 7);
            var header = Enumerable.Range(0, columns).Select(i => "C" + i).ToArray();
            var rows = new List<string[]>();
            for (var r = random.Next(1, 25); r > 0; r--)
            {
                rows.Add([.. Enumerable.Range(0, columns).Select(_ =>
                    string.Concat(Enumerable.Range(0, random.Next(0, 9)).Select(_ => alphabet[random.Next(alphabet.Length)])))]);
            }
            var newline = new[] { "\n", "\r\n", "\r" }[random.Next(3)];
            var text = new StringBuilder();
            foreach (var row in rows.Prepend(header))
            {
                text.Append(string.Join(delimiter, row.Select(cell => Quoted(cell, delimiter, random.Next(4) == 0)))).Append(newline);
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            if (random.Next(2) == 0)
            {
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
            }

            using var reader = Open(bytes, bufferBytes);
            Assert.Equal((byte)delimiter, reader.Delimiter);
            Assert.Equal(header, reader.Header);
            var read = new List<string[]>();
            while (reader.Read())
            {
                Assert.Empty(reader.InvalidEncodingFields);
                var expected = rows[read.Count];
                for (var i = 0; i < columns; i++)
                {
                    // Compared before and after the cell is decoded: both paths must agree.
                    Assert.True(reader.CellEquals(i, expected[i]));
                    Assert.False(reader.CellEquals(i, expected[i] + "x"));
                    Assert.Equal(expected[i].Length > 0, !reader.CellEquals(i, ""));
                }
                read.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader[i])]);
                Assert.True(reader.CellEquals(0, expected[0]));
                Assert.Equal(read.Count + 1, reader.RowNumber);
            }
            // A row of one empty cell is a blank line, skipped: none is generated (two columns at least).
            Assert.Equal(rows, read);
        }
    }

    private static string Quoted(string cell, char delimiter, bool always) =>
        always || cell.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 || cell.Length == 0 && always
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;

    [Fact]
    public void A_quote_inside_an_unquoted_cell_is_kept_and_text_after_a_closing_quote_joins_the_cell()
    {
        using var reader = Open("A,B,C\na\"b,\"x,y\"z,\"open\n", bufferBytes: 3);
        Assert.Equal([["a\"b", "x,yz", "open\n"]], Rows(reader));
    }

    [Fact]
    public void Blank_lines_are_skipped_but_counted_and_a_last_line_needs_no_line_break()
    {
        using var reader = Open("A,B\r\n\r\n1,2\n\n\"\"\n3,4", bufferBytes: 2);
        Assert.True(reader.Read());
        Assert.Equal(3, reader.RowNumber);
        Assert.True(reader.Read());
        Assert.Equal(6, reader.RowNumber);
        Assert.Equal("3", reader[0]);
        Assert.Equal("4", reader[1]);
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_row_with_fewer_or_more_cells_says_how_many_it_has()
    {
        using var reader = Open("A,B,C\n1\n1,2,3,4\n");
        Assert.True(reader.Read());
        Assert.Equal(1, reader.FieldCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader[1]);
        Assert.True(reader.Read());
        Assert.Equal(4, reader.FieldCount);
        Assert.Equal("4", reader[3]);
    }

    /// <summary>A file saved as Windows-1252 is found cell by cell; so is a two-byte character cut by a delimiter,
    /// though the record's bytes taken together would be valid UTF-8.</summary>
    [Fact]
    public void Cells_that_are_not_UTF8_are_named_each_on_its_own()
    {
        byte[] file = [.. "A,B,C,D\n"u8, .. "Jos"u8, 0xE9, .. ",ok,x"u8, 0xC3, .. ","u8, 0xA9, .. "y\n"u8, .. "Jos"u8, 0xC3, 0xA9, .. ",b,c,d\n"u8];
        using var reader = Open(file, bufferBytes: 4);
        Assert.True(reader.Read());
        Assert.Equal([0, 2, 3], reader.InvalidEncodingFields);
        Assert.Equal("Jos\uFFFD", reader[0]);
        Assert.True(reader.CellEquals(0, "Jos\uFFFD"));
        Assert.True(reader.Read());
        Assert.Empty(reader.InvalidEncodingFields);
        Assert.True(reader.CellEquals(0, "José"));
        Assert.False(reader.CellEquals(0, "Jose"));
        Assert.Equal("José", reader[0]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(1 << 20)]
    public void A_cell_over_the_limit_is_refused_with_its_row_and_column_and_one_at_the_limit_is_read(int bufferBytes)
    {
        var limits = new TabularLimits { MaxCellBytes = 10, MaxLineBytes = 100 };
        using (var reader = Open("A,B\n1,\"" + new string('x', 9) + "\"\"\"\n", bufferBytes, limits))
        {
            Assert.True(reader.Read());
            Assert.Equal(new string('x', 9) + "\"", reader[1]);
        }
        using (var reader = Open("A,B\n1,2\n1," + new string('x', 11) + "\n", bufferBytes, limits))
        {
            Assert.True(reader.Read());
            var refused = Assert.Throws<TabularFormatException>(() => reader.Read());
            Assert.Equal("CELL_TOO_LONG", refused.Code);
            Assert.Equal(3, refused.Row);
            Assert.Equal("B", refused.Column);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(1 << 20)]
    public void A_record_over_the_line_limit_is_refused_and_one_at_the_limit_is_read(int bufferBytes)
    {
        var limits = new TabularLimits { MaxCellBytes = 100, MaxLineBytes = 11 };
        // "1234,\"6\"\"8\"\n" is 11 bytes counted: the doubled quote's second byte is not.
        using (var reader = Open("A,B\n1234,\"6\"\"8\"\n", bufferBytes, limits))
        {
            Assert.True(reader.Read());
            Assert.Equal("6\"8", reader[1]);
        }
        using (var reader = Open("A,B\n1234,\"6\"\"89\"\n", bufferBytes, limits))
        {
            var refused = Assert.Throws<TabularFormatException>(() => reader.Read());
            Assert.Equal("LINE_TOO_LONG", refused.Code);
            Assert.Equal(2, refused.Row);
        }
    }

    /// <summary>When one run of bytes passes both limits, the one its bytes reach first is reported.</summary>
    [Fact]
    public void Of_the_two_limits_the_first_reached_is_reported()
    {
        var cellFirst = new TabularLimits { MaxCellBytes = 4, MaxLineBytes = 8 };
        using (var reader = Open("A,B\n1," + new string('x', 20) + "\n", limits: cellFirst))
        {
            Assert.Equal("CELL_TOO_LONG", Assert.Throws<TabularFormatException>(() => reader.Read()).Code);
        }
        var lineFirst = new TabularLimits { MaxCellBytes = 8, MaxLineBytes = 6 };
        using (var reader = Open("A,B\n1," + new string('x', 20) + "\n", limits: lineFirst))
        {
            Assert.Equal("LINE_TOO_LONG", Assert.Throws<TabularFormatException>(() => reader.Read()).Code);
        }
    }

    [Fact]
    public void Too_many_columns_are_refused()
    {
        var limits = new TabularLimits { MaxColumns = 3 };
        using var reader = Open("A,B,C\n1,2,3\n1,2,3,4\n", limits: limits);
        Assert.True(reader.Read());
        Assert.Equal("TOO_MANY_COLUMNS", Assert.Throws<TabularFormatException>(() => reader.Read()).Code);
    }

    [Fact]
    public void An_empty_file_or_a_bare_BOM_is_refused()
    {
        Assert.Equal("FILE_EMPTY", Assert.Throws<TabularFormatException>(() => Open([])).Code);
        Assert.Equal("FILE_EMPTY", Assert.Throws<TabularFormatException>(() => Open([0xEF, 0xBB, 0xBF])).Code);
    }
}
