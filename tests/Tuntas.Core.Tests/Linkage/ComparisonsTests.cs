using Tuntas.Linkage;

namespace Tuntas.Core.Tests.Linkage;

public sealed class ComparisonsTests
{
    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("dixon", "dicksonx", 0.813)]
    public void Jaro_winkler_matches_the_published_examples(string a, string b, double expected) =>
        Assert.Equal(expected, Comparisons.JaroWinkler(a, b), 3);

    [Theory]
    [InlineData("3314010101800001", "3314010101800001", 5)]
    [InlineData("3314010101800001", "3314010101800007", 4)] // serial one digit apart: a typo or a neighbour
    [InlineData("3314010101800001", "3314010101900001", 3)] // one digit wrong in the birth date
    [InlineData("3314010101800001", "3314100101800001", 3)] // two adjacent digits swapped
    [InlineData("3314010503800001", "3314010305800002", 2)] // issued from the birth date with day and month swapped
    [InlineData("3314014503800001", "3314014305800001", 2)] // the same for a woman (day + 40)
    [InlineData("3314014503800001", "3314010305800001", 0)] // swapped, but one a woman's and one a man's
    [InlineData("3314010101800001", "0331401200100012", 1)] // temporary (OpenSID) of a desa of the NIK's kecamatan
    [InlineData("3314010101800001", "0331402200100012", 0)] // temporary of another kecamatan
    [InlineData("0331401200100011", "0331401200100012", Comparisons.Missing)] // two placeholders say nothing
    [InlineData("3314010101800001", "3314010101800099", 0)]
    public void Nik_levels_tell_equal_typo_swap_and_temporary_apart(string a, string b, int level) =>
        Assert.Equal(level, Comparisons.Compare(FieldKind.Nik, a, b));

    [Theory]
    [InlineData("19800305", "19800305", 4)]
    [InlineData("19800305", "19800503", 3)] // day and month swapped
    [InlineData("19800305", "19800306", 2)] // one day off
    [InlineData("19800331", "19800401", 2)] // one day off across a month
    [InlineData("19800305", "19890305", 2)] // one digit wrong
    [InlineData("19800305", "19801120", 1)] // same year
    [InlineData("19800305", "19700101", 0)]
    public void Birth_date_levels_catch_swapped_and_near_dates(string a, string b, int level) =>
        Assert.Equal(level, Comparisons.Compare(FieldKind.BirthDate, a, b));

    [Fact]
    public void A_missing_value_is_no_evidence_either_way() =>
        Assert.Equal(Comparisons.Missing, Comparisons.Compare(FieldKind.FullName, null, "siti"));

    [Fact]
    public void Full_names_in_another_order_still_agree() =>
        Assert.Equal(2, Comparisons.Compare(FieldKind.FullName, IndonesianName.Normalize("Aminah Siti"), IndonesianName.Normalize("Siti Aminah")));

    [Theory]
    [InlineData("Sukini", "Sukhini", 2)] // a letter added: one name spelt twice
    [InlineData("Nur Haliza", "Nurhaliza", 2)] // the same letters without the space
    [InlineData("Tutik Sulistyowati", "Tutik Sulistiowati", 2)]
    [InlineData("Sukarni", "Suwarni", 1)] // one consonant apart: two Javanese names
    [InlineData("Suratno", "Sutarno", 1)] // two letters in another order: two names
    [InlineData("Hafiz Alfarizi", "Zidan Alfarizi", 1)] // one family name, two given names (sorted, a long common prefix)
    [InlineData("Tutik Aminah", "Tutik Fatimah", 1)] // one given name, two other names
    public void Whole_names_are_alike_only_when_first_and_last_words_are(string a, string b, int level) =>
        Assert.Equal(level, Comparisons.Compare(FieldKind.FullName, IndonesianName.Normalize(a), IndonesianName.Normalize(b)));

    [Fact]
    public void Dates_in_a_fixed_width_format_are_read_by_position_even_when_impossible()
    {
        Assert.Equal("19651313", BirthDates.Prepare("19651313", "yyyyMMdd"));
        Assert.Equal("19800305", BirthDates.Prepare("05-03-1980", "dd-MM-yyyy"));
        Assert.Equal("19800305", BirthDates.Prepare("5/3/1980", "d/M/yyyy"));
    }
}
