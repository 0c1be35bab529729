using System.Text.Unicode;

namespace Tuntas.Imports.Tabular;

/// <summary>
/// RFC 4180 CSV read at the byte level: UTF-8 with or without BOM, delimiter <c>,</c> or <c>;</c> detected from the
/// header, quoted fields may hold delimiters, quotes and line breaks. Every field is checked to be valid UTF-8 so a
/// file saved as Windows-1252 is reported by row and column instead of silently garbling names. A record or field over
/// <see cref="TabularLimits"/> stops the read at once (LINE_TOO_LONG, CELL_TOO_LONG): memory stays at the 1 MB buffer
/// plus one bounded record whatever the file holds.
/// </summary>
public sealed class CsvTabularReader : TabularReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _position;
    private int _length;
    private long _consumed;
    private readonly long _totalLength;
    private byte[] _field = new byte[256];
    private int _fieldLength;
    private readonly List<string> _fields = [];
    private readonly List<int> _invalid = [];
    private static readonly string[] _byteStrings = BuildByteStrings();
    private readonly TabularLimits _limits;
    private int _recordBytes;

    public byte Delimiter { get; private set; } = (byte)',';

    public CsvTabularReader(Stream stream, TabularLimits? limits = null)
    {
        _stream = stream;
        _limits = limits ?? TabularLimits.Default;
        _totalLength = stream.CanSeek ? stream.Length : 0;
        Fill();
        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _position = 3;
        }
        if (_position >= _length)
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        Delimiter = DetectDelimiter();
        if (!ReadRecord())
        {
            throw new TabularFormatException("FILE_EMPTY", "Berkas kosong.", "The file is empty.");
        }
        RowNumber = 1;
        Header = [.. _fields];
        FieldCount = _fields.Count;
    }

    public override double Position => _totalLength == 0 ? 0 : (double)(_consumed + _position) / _totalLength;

    public override string this[int index] => _fields[index];

    public override IReadOnlyList<int> InvalidEncodingFields => _invalid;

    public override bool Read()
    {
        while (ReadRecord())
        {
            RowNumber++;
            // A blank line (one empty field) is skipped but still counted, so row numbers match the spreadsheet.
            if (_fields.Count == 1 && _fields[0].Length == 0)
            {
                continue;
            }
            FieldCount = _fields.Count;
            return true;
        }
        return false;
    }

    /// <summary>Counts delimiters outside quotes on the first line: <c>;</c> wins only when it outnumbers <c>,</c>.</summary>
    private byte DetectDelimiter()
    {
        int commas = 0, semicolons = 0;
        var quoted = false;
        for (var i = _position; i < _length; i++)
        {
            var b = _buffer[i];
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (b == '\n' || b == '\r'))
            {
                break;
            }
            else if (!quoted && b == ',')
            {
                commas++;
            }
            else if (!quoted && b == ';')
            {
                semicolons++;
            }
        }
        return semicolons > commas ? (byte)';' : (byte)',';
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }
        _consumed += _length;
        _length = _stream.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    private bool ReadRecord()
    {
        _fields.Clear();
        _invalid.Clear();
        if (!Fill())
        {
            return false;
        }
        _fieldLength = 0;
        _recordBytes = 0;
        var quoted = false;
        var fieldStarted = false;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                EndField();
                return true;
            }
            var b = _buffer[_position++];
            if (++_recordBytes > _limits.MaxLineBytes)
            {
                throw Refused("LINE_TOO_LONG", _limits.MaxLineBytes, column: null);
            }
            if (quoted)
            {
                if (b == '"')
                {
                    if ((_position < _length || Fill()) && _buffer[_position] == '"')
                    {
                        _position++;
                        Append(b);
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    Append(b);
                }
                continue;
            }
            if (b == Delimiter)
            {
                EndField();
                fieldStarted = false;
            }
            else if (b == '\n')
            {
                EndField();
                return true;
            }
            else if (b == '\r')
            {
                if ((_position < _length || Fill()) && _buffer[_position] == '\n')
                {
                    _position++;
                }
                EndField();
                return true;
            }
            else if (b == '"' && !fieldStarted && _fieldLength == 0)
            {
                quoted = true;
                fieldStarted = true;
            }
            else
            {
                Append(b);
                fieldStarted = true;
            }
        }
    }

    /// <summary>The record being read is the row after the last one returned (the header is row 1).</summary>
    private TabularFormatException Refused(string code, int limit, string? column) =>
        TabularFormatException.From(ImportMessages.Issue(RowNumber + 1, column, null, code, limit));

    private void Append(byte b)
    {
        if (_fieldLength == _limits.MaxCellBytes)
        {
            throw Refused("CELL_TOO_LONG", _limits.MaxCellBytes, _fields.Count < Header.Count ? Header[_fields.Count] : null);
        }
        if (_fieldLength == _field.Length)
        {
            Array.Resize(ref _field, _field.Length * 2);
        }
        _field[_fieldLength++] = b;
    }

    private void EndField()
    {
        var bytes = _field.AsSpan(0, _fieldLength);
        string text;
        if (bytes.Length == 0)
        {
            text = "";
        }
        else if (bytes.Length == 1 && bytes[0] < 128)
        {
            text = _byteStrings[bytes[0]];
        }
        else
        {
            if (!Utf8.IsValid(bytes))
            {
                _invalid.Add(_fields.Count);
            }
            text = Utf8Strict.Encoding.GetString(bytes);
        }
        if (_fields.Count == _limits.MaxColumns)
        {
            throw Refused("TOO_MANY_COLUMNS", _limits.MaxColumns, column: null);
        }
        _fields.Add(text);
        _fieldLength = 0;
    }

    private static string[] BuildByteStrings()
    {
        var strings = new string[128];
        for (var i = 0; i < 128; i++)
        {
            strings[i] = ((char)i).ToString();
        }
        return strings;
    }

    public override void Dispose() => _stream.Dispose();
}
