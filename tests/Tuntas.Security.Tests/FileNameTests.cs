using Tuntas.Web.Uploads;

namespace Tuntas.Security.Tests;

/// <summary>
/// The uploader's file name is shown in the jobs' table, the job page and the audit trail, and an OpenSID file's village
/// may be read from it: it keeps no path, no control character and no invisible format character (a right-to-left
/// override made "keluarga\u202Ecsv.xlsx" read as "keluargaxslx.csv"; a zero-width space hid inside a village code).
/// </summary>
public sealed class FileNameTests
{
    [Theory]
    [InlineData("../../etc/opensid-penduduk-3314012001.xlsx", "opensid-penduduk-3314012001.xlsx")]
    [InlineData("C:\\Users\\op\\keluarga.csv", "keluarga.csv")]
    [InlineData("kelu\u0000ar\u001bga\r\n.csv", "keluarga.csv")]
    [InlineData("keluarga\u202Ecsv.xlsx", "keluargacsv.xlsx")]
    [InlineData("opensid-3314\u200B012001\u2066.xlsx", "opensid-3314012001.xlsx")]
    [InlineData("\uFEFFkeluarga.csv", "keluarga.csv")]
    [InlineData("kelu\U000E0041\U000E0042arga.csv", "keluarga.csv")]
    [InlineData("kelu\uD800arga.csv", "keluarga.csv")]
    public void A_file_name_keeps_no_path_control_or_invisible_format_character(string uploaded, string shown) =>
        Assert.Equal(shown, UploadCheck.SafeFileName(uploaded));

    /// <summary>Cut at 200 UTF-16 units on a whole character: half a surrogate pair cannot be stored as UTF-8.</summary>
    [Fact]
    public void A_long_file_name_is_cut_on_a_whole_character()
    {
        var name = UploadCheck.SafeFileName("a" + string.Concat(Enumerable.Repeat("\U0001F600", 150)) + ".csv");

        Assert.Equal(199, name.Length);
        Assert.False(char.IsHighSurrogate(name[^1]));
        Assert.Equal(name, new string(name.EnumerateRunes().SelectMany(r => r.ToString()).ToArray()));
    }
}
