using Tuntas.Registry;

namespace Tuntas.Core.Tests.Registry;

public sealed class NikTests
{
    private static readonly DateOnly _today = new(2026, 11, 23);

    [Fact]
    public void Accepts_a_male_nik_and_decodes_birth_date_and_sex()
    {
        Assert.Null(Nik.TryParse("3314010101800001", _today, out var nik));
        Assert.Equal(new DateOnly(1980, 1, 1), nik.BirthDate);
        Assert.Equal(1, nik.Sex);
        Assert.False(nik.Temporary);
    }

    [Fact]
    public void Reads_day_plus_40_as_a_woman()
    {
        Assert.Null(Nik.TryParse("3314014502850002", _today, out var nik));
        Assert.Equal(new DateOnly(1985, 2, 5), nik.BirthDate);
        Assert.Equal(2, nik.Sex);
    }

    [Fact]
    public void Puts_a_two_digit_year_in_the_latest_century_not_in_the_future()
    {
        Assert.Null(Nik.TryParse("3314010101200001", _today, out var recent));
        Assert.Equal(2020, recent.BirthDate!.Value.Year);
        Assert.Null(Nik.TryParse("3314010101300001", _today, out var old));
        Assert.Equal(1930, old.BirthDate!.Value.Year);
    }

    [Theory]
    [InlineData("3314010001800001", "NIK_TANGGAL")] // day 00
    [InlineData("3314013201800001", "NIK_TANGGAL")] // day 32
    [InlineData("3314017201800001", "NIK_TANGGAL")] // day 72 (women: 41–71)
    [InlineData("3314013002800001", "NIK_TANGGAL")] // 30 February
    [InlineData("9914010101800001", "NIK_PROVINSI")] // no province 99
    [InlineData("331401010180001", "NIK_FORMAT")]    // 15 digits
    [InlineData("33140101018000012", "NIK_FORMAT")]  // 17 digits
    [InlineData("33140101018O0001", "NIK_FORMAT")]   // letter O
    [InlineData("3.31401E+15", "NIK_NOTASI_ILMIAH")]
    [InlineData("3,31401E+15", "NIK_NOTASI_ILMIAH")] // as Excel writes it in the Indonesian locale
    [InlineData("", "NIK_KOSONG")]
    public void Rejects_malformed_niks_with_a_stable_code(string text, string code) =>
        Assert.Equal(code, Nik.TryParse(text, _today, out _));

    [Fact]
    public void Rejects_nik_with_month_13() => Assert.Equal("NIK_TANGGAL", Nik.TryParse("3314010113800001", _today, out _));

    [Fact]
    public void Strips_excels_leading_apostrophe_and_spaces() =>
        Assert.Null(Nik.TryParse(" '3314010101800001 ", _today, out _));

    [Fact]
    public void Flags_temporary_numbers_of_zero_plus_village_code()
    {
        Assert.Null(Nik.TryParse("0331401200100001", _today, out var nik));
        Assert.True(nik.Temporary);
        Assert.Null(nik.BirthDate);
    }

    [Fact]
    public void Composes_what_it_parses()
    {
        var text = Nik.Compose("331401", new DateOnly(1999, 12, 31), 2, 17);
        Assert.Equal("3314017112990017", text);
        Assert.Null(Nik.TryParse(text, _today, out var nik));
        Assert.Equal(new DateOnly(1999, 12, 31), nik.BirthDate);
    }

    [Fact]
    public void Masks_the_birth_date_part() => Assert.Equal("3314••••••••0003", Nik.Mask("3314010101800003"));

    [Theory]
    [InlineData("331401 181272 1001", "3314•• •••••• 1001")]
    [InlineData("''3314011812721001", "''3314••••••••1001")]
    [InlineData("3314011812721001\u200b", "3314••••••••1001\u200b")]
    [InlineData("33140118127210011", "3314•••••••••0011")]
    [InlineData("331401181", "3314•••••")]
    [InlineData("３３１４０１１８１２７２１００１", "３３１４••••••••１００１")]
    public void A_mistyped_identifier_is_masked_with_its_mistake_kept_visible(string typed, string shown) => Assert.Equal(shown, Nik.MaskTyped(typed));

    [Theory]
    [InlineData("3314010103150001", null)]
    [InlineData("0331401200100001", null)]
    [InlineData("331401010315000", "NO_KK_FORMAT")]
    [InlineData("3.31401E+15", "NO_KK_NOTASI_ILMIAH")]
    [InlineData("3,31401E+15", "NO_KK_NOTASI_ILMIAH")]
    [InlineData("0014010103150001", "NO_KK_PROVINSI")]
    public void Checks_no_kk(string text, string? code) => Assert.Equal(code, NoKk.TryParse(text, out _, out _));
}

public sealed class NameKeyTests
{
    [Theory]
    [InlineData("Siti Nurhaliza", "Siti Nur Haliza")]
    [InlineData("Siti Nurhaliza", "SITI NURHALIZAH")]
    [InlineData("Muhammad Yusuf", "Mochamad Yusuf")]
    [InlineData("Muhammad", "Mohamad")]
    [InlineData("Soekarno", "Sukarno")]
    [InlineData("Djoko Susilo", "Joko Susilo")]
    [InlineData("Slamet", "Slamit")]
    [InlineData("Dzulkifli", "Zulkifli")]
    [InlineData("Sri Rahayu", "Sri  Rahayu.")]
    public void Spelling_variants_share_a_key(string a, string b) => Assert.Equal(NameKey.For(a), NameKey.For(b));

    [Theory]
    [InlineData("Siti Nurhaliza", "Siti Aminah")]
    [InlineData("Budi", "Bayu")]
    public void Different_names_keep_different_keys(string a, string b) => Assert.NotEqual(NameKey.For(a), NameKey.For(b));
}
