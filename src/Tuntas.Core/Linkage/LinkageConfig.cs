namespace Tuntas.Linkage;

/// <summary>One refusal before any work: a code, where (config path, file, column), and the message in both languages.</summary>
public sealed record LinkageProblem(string Code, string Where, string Message, string MessageEn) : Problem(Where, Code, Message, MessageEn);

/// <summary>Thrown when the input cannot be linked at all; carries every problem found, not just the first.</summary>
public sealed class LinkageException(IReadOnlyList<LinkageProblem> problems) : RefusedException(problems)
{
    public new IReadOnlyList<LinkageProblem> Problems { get; } = problems;
}

/// <summary>A config line: which column of A and of B holds a field of one kind (and, for dates, in which format).</summary>
public sealed record LinkageField(FieldKind Kind, string A, string B, string? Format)
{
    /// <summary>A readable name for reports: the column name when both sides share it.</summary>
    public string Label => A == B ? A : $"{A}/{B}";
}

/// <summary>
/// The JSON config of <c>tuntas linkage run</c> (docs/linkage.md):
/// <c>{"idA": "rec_id", "idB": "rec_id", "fields": [{"kind": "givenName", "a": "given_name", "b": "given_name"}, …]}</c>.
/// Validated completely before a file is opened: unknown kinds, missing names and unusable date formats are all reported.
/// </summary>
public sealed record LinkageConfig(string IdA, string IdB, IReadOnlyList<LinkageField> Fields)
{
    public static readonly IReadOnlyDictionary<string, FieldKind> Kinds = new Dictionary<string, FieldKind>(StringComparer.Ordinal)
    {
        ["fullName"] = FieldKind.FullName,
        ["givenName"] = FieldKind.GivenName,
        ["surname"] = FieldKind.Surname,
        ["birthDate"] = FieldKind.BirthDate,
        ["sex"] = FieldKind.Sex,
        ["nik"] = FieldKind.Nik,
        ["noKk"] = FieldKind.NoKk,
        ["idNumber"] = FieldKind.IdNumber,
        ["address"] = FieldKind.Address,
        ["streetNumber"] = FieldKind.StreetNumber,
        ["locality"] = FieldKind.Locality,
        ["postcode"] = FieldKind.Postcode,
        ["region"] = FieldKind.Region,
    };

    public static string KindName(FieldKind kind) => Kinds.First(k => k.Value == kind).Key;

    public static LinkageConfig Parse(string json)
    {
        var problems = new List<LinkageProblem>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new LinkageException([new("LINKAGE_CONFIG_JSON", "config",
                $"Konfigurasi bukan JSON yang sah: {e.Message}", $"The config is not valid JSON: {e.Message}")]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LinkageException([new("LINKAGE_CONFIG_JSON", "config", "Konfigurasi harus berupa objek JSON.", "The config must be a JSON object.")]);
            }
            var idA = Text(root, "idA", "config.idA", problems);
            var idB = Text(root, "idB", "config.idB", problems);
            var fields = new List<LinkageField>();
            if (!root.TryGetProperty("fields", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                problems.Add(new("LINKAGE_TANPA_KOLOM", "config.fields",
                    "Daftar \"fields\" kosong atau tidak ada: sebutkan kolom yang dibandingkan.", "\"fields\" is missing or empty: name the columns to compare."));
            }
            else
            {
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var where = $"config.fields[{i++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        problems.Add(new("LINKAGE_CONFIG_JSON", where, "Setiap kolom harus berupa objek.", "Each field must be an object."));
                        continue;
                    }
                    var kindText = Text(item, "kind", where + ".kind", problems);
                    var a = Text(item, "a", where + ".a", problems);
                    var b = Text(item, "b", where + ".b", problems);
                    var format = item.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    if (kindText is null)
                    {
                        continue;
                    }
                    if (!Kinds.TryGetValue(kindText, out var kind))
                    {
                        problems.Add(new("LINKAGE_JENIS_TIDAK_DIKENAL", where + ".kind",
                            $"Jenis \"{kindText}\" tidak dikenal; pilih salah satu: {string.Join(", ", Kinds.Keys)}.",
                            $"Unknown kind \"{kindText}\"; use one of: {string.Join(", ", Kinds.Keys)}."));
                        continue;
                    }
                    if (kind == FieldKind.BirthDate && !BirthDates.IsUsable(format ?? BirthDates.DefaultFormat))
                    {
                        problems.Add(new("LINKAGE_FORMAT_TANGGAL", where + ".format",
                            $"Format tanggal \"{format}\" harus memuat yyyy, MM dan dd (mis. yyyyMMdd).",
                            $"Date format \"{format}\" must contain yyyy, MM and dd (e.g. yyyyMMdd)."));
                        continue;
                    }
                    if (a is not null && b is not null)
                    {
                        fields.Add(new LinkageField(kind, a, b, kind == FieldKind.BirthDate ? format ?? BirthDates.DefaultFormat : null));
                    }
                }
                if (fields.Count > 20)
                {
                    problems.Add(new("LINKAGE_TERLALU_BANYAK", "config.fields", "Paling banyak 20 kolom dibandingkan.", "At most 20 fields can be compared."));
                }
            }
            if (problems.Count > 0)
            {
                throw new LinkageException(problems);
            }
            return new LinkageConfig(idA!, idB!, fields);
        }
    }

    private static string? Text(JsonElement element, string name, string where, List<LinkageProblem> problems)
    {
        if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text.Trim();
        }
        problems.Add(new("LINKAGE_CONFIG_WAJIB", where, $"\"{name}\" wajib diisi (teks).", $"\"{name}\" is required (text)."));
        return null;
    }
}
