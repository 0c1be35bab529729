using System.Globalization;
using Tuntas.Imports.Profiles;

namespace Tuntas.Testing;

/// <summary>
/// Builds BDT 2015 workbooks in OpenSID's BDT template (<c>contoh-data-bdt2015.xlsx</c>): the 101 labels, the first fifty
/// numbered "(n)" as OpenSID's sample has them, then its "KOLOM" row numbering the columns, then one row per household
/// member with the household's answers repeated.
/// </summary>
public static class Bdt2015FileBuilder
{
    /// <summary>A household's answers, "column=code" separated by spaces.</summary>
    public static Dictionary<int, string> Answers(string text) =>
        text.Split(' ').Select(a => a.Split('=')).ToDictionary(a => int.Parse(a[0], CultureInfo.InvariantCulture), a => a[1]);

    /// <summary>A poor household: own house of 42 m² on an earth floor, bamboo walls, a zinc roof, an unprotected well,
    /// PLN without a meter, firewood, no latrine; a television and a motorcycle (3 = ya in the questionnaire's second
    /// column of assets), one cow, no land.</summary>
    public static Dictionary<int, string> Poor { get; } =
        Answers("16=1 18=42 19=9 20=6 22=6 25=7 27=1 28=6 29=8 30=4 33=2 34=4 35=2 36=4 37=2 38=3 39=2 40=4 41=2 42=3 43=2 44=4 45=2 46=4 47=2 50=2 53=1 59=1 78=12");

    /// <summary>A better-off one: ceramic floor, brick walls, a clay-tile roof, piped water, 900 W, LPG 3 kg, own latrine, 700 m² of land.</summary>
    public static Dictionary<int, string> BetterOff { get; } =
        Answers("16=1 18=90 19=2 20=1 22=4 25=3 27=1 28=2 29=3 30=1 34=3 38=3 42=3 50=1 51=700");

    /// <summary>One member's row: the household's answers, then the member's (column number → value).</summary>
    public static string[] Row(string household, string nik, Dictionary<int, string> householdAnswers, params (int Number, string Value)[] member)
    {
        var row = Enumerable.Repeat("", Bdt2015Layout.Columns.Count).ToArray();
        row[0] = "3GDKWU";
        row[Bdt2015Layout.HouseholdColumn - 1] = household;
        (row[3], row[5], row[7], row[9]) = ("33", "14", "010", "001");
        foreach (var (number, value) in householdAnswers)
        {
            row[number - 1] = value;
        }
        row[Bdt2015Layout.NikColumn - 1] = nik;
        foreach (var (number, value) in member)
        {
            row[number - 1] = value;
        }
        return row;
    }

    public static string Write(params string[][] rows) => WriteWithout([], rows);

    /// <summary>The same, leaving out some columns (their numbers) as a regency's extract of the BDT may.</summary>
    public static string WriteWithout(int[] columns, params string[][] rows)
    {
        var header = Bdt2015Layout.Columns.Select((label, i) => i < 50 ? $"{label} ({i + 1})" : label).ToArray();
        string[] kolom = ["KOLOM", .. Enumerable.Range(2, Bdt2015Layout.Columns.Count - 1).Select(n => n.ToString(CultureInfo.InvariantCulture))];
        string[] Kept(string[] row) => [.. row.Where((_, i) => !columns.Contains(i + 1))];
        return Workbooks.Write(Path.Combine(Path.GetTempPath(), $"bdt-{Guid.NewGuid():N}.xlsx"), ("Sheet1", [Kept(header), Kept(kolom), .. rows.Select(Kept)]));
    }
}
