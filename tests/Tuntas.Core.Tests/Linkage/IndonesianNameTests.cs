using Tuntas.Linkage;

namespace Tuntas.Core.Tests.Linkage;

public sealed class IndonesianNameTests
{
    [Theory]
    [InlineData("Muhammad Rizki", "Mochamad Rizki")]
    [InlineData("Muhammad Rizki", "Moh. Rizki")]
    [InlineData("Muhammad Rizki", "M. Rizki")]
    [InlineData("Siti Aminah", "Sitti Aminah")]
    [InlineData("Soekarno", "Sukarno")]
    [InlineData("Djono", "Jono")]
    [InlineData("Tjipto Wardojo", "Cipto Wardojo")]
    [InlineData("Siti Aminah", "Hj. Siti Aminah")]
    [InlineData("Ahmad", "H. Ahmad bin Sulaiman")]
    [InlineData("Siti Aminah", "Ny. Siti Aminah binti Karto")]
    [InlineData("Achmad Chairul", "Akhmad Khairul")]
    [InlineData("Siti Aminah", "SITI AMINAH, S.Pd.")]
    public void Folds_indonesian_spelling_variants_titles_and_patronymics_to_one_form(string a, string b) =>
        Assert.Equal(IndonesianName.Normalize(a), IndonesianName.Normalize(b));

    [Fact]
    public void Keeps_different_names_apart() =>
        Assert.NotEqual(IndonesianName.Normalize("Siti Aminah"), IndonesianName.Normalize("Siti Aisyah"));

    [Fact]
    public void Sorted_tokens_ignore_the_order_of_the_name_parts() =>
        Assert.Equal(IndonesianName.SortedTokens(IndonesianName.Normalize("Aminah Siti")), IndonesianName.SortedTokens(IndonesianName.Normalize("Siti Aminah")));

    [Fact]
    public void A_single_title_is_kept_as_the_name() => Assert.Equal("haji", IndonesianName.Normalize("Haji"));

    [Fact]
    public void Phonetic_key_joins_old_and_new_spellings() =>
        Assert.Equal(IndonesianName.PhoneticKey(IndonesianName.Normalize("Soekarno")), IndonesianName.PhoneticKey(IndonesianName.Normalize("Sukarno")));
}
