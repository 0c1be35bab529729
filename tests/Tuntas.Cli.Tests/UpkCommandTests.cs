using System.Text.Json;
using Tuntas.Testing;

namespace Tuntas.Cli.Tests;

public sealed class UpkCommandTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upk_import_then_kinerja_print_the_spec_json_for_the_worked_example(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var book = new LoanBookFiles().WriteFolder();

        var dry = await CliRunner.RunAsync(test.Database, "upk", "import", book, "--dry-run", "--json");
        Assert.Equal(0, dry.ExitCode);
        using (var json = JsonDocument.Parse(dry.Out))
        {
            Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
            Assert.False(json.RootElement.GetProperty("committed").GetBoolean());
            Assert.Equal(1, json.RootElement.GetProperty("counts").GetProperty("PINJAMAN").GetInt32());
        }

        var imported = await CliRunner.RunAsync(test.Database, "upk", "import", book, "--json");
        Assert.Equal(0, imported.ExitCode);
        Assert.True(JsonDocument.Parse(imported.Out).RootElement.GetProperty("committed").GetBoolean());

        var result = await CliRunner.RunAsync(test.Database, "upk", "kinerja", "--upk", "upk-3314-01", "--per", "2026-07-31", "--json");
        Assert.Equal(0, result.ExitCode);
        using var kinerja = JsonDocument.Parse(result.Out);
        var root = kinerja.RootElement;
        Assert.Equal("2026-07-31", root.GetProperty("per").GetString());
        var upk = root.GetProperty("upk")[0];
        Assert.Equal("UPK-3314-01", upk.GetProperty("kode").GetString());
        Assert.Equal(75.0, upk.GetProperty("rr").GetDouble());
        Assert.Equal(4.8, upk.GetProperty("roi").GetDouble());
        Assert.Equal(750000, upk.GetProperty("outstanding").GetInt64());
        Assert.Equal(1, upk.GetProperty("kolektibilitas").GetProperty("2").GetInt32());
        Assert.Equal("kurang", upk.GetProperty("nilai").GetProperty("rr").GetString());
        Assert.False(root.GetProperty("total").TryGetProperty("kode", out _));
        Assert.Equal(1, root.GetProperty("total").GetProperty("ksmAktif").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_book_with_errors_exits_2_and_names_sheet_row_column_and_code(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var book = new LoanBookFiles().Add("PINJAMAN", "P-009,KSM-9,2026-01-15,1000,1,FLAT,3,2026-02-15").WriteFolder();
        var result = await CliRunner.RunAsync(test.Database, "upk", "import", book, "--json");
        Assert.Equal(2, result.ExitCode);
        var error = JsonDocument.Parse(result.Out).RootElement.GetProperty("errors")[0];
        Assert.Equal("PINJAMAN", error.GetProperty("sheet").GetString());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("KODE_KSM", error.GetProperty("column").GetString());
        Assert.Equal("UNKNOWN_KSM", error.GetProperty("code").GetString());
        Assert.Equal("KSM-9", error.GetProperty("value").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Upk_kelulusan_lists_each_upk_and_refuses_an_unknown_one_with_exit_2(string provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, (await CliRunner.RunAsync(test.Database, "upk", "import", new LoanBookFiles().WriteFolder())).ExitCode);

        var result = await CliRunner.RunAsync(test.Database, "upk", "kelulusan", "--upk", "UPK-3314-01", "--json");
        Assert.Equal(0, result.ExitCode);
        var root = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("UPK-3314-01", root.GetProperty("upk")[0].GetProperty("kode").GetString());
        // The book's members are not in this empty registry: no family to follow, and no run to read.
        Assert.Equal(0, root.GetProperty("total").GetProperty("families").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latestRun").ValueKind);
        Assert.Equal(1, root.GetProperty("ksm").GetArrayLength());

        var unknown = await CliRunner.RunAsync(test.Database, "upk", "kelulusan", "--upk", "UPK-0000-99");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("[NOT_FOUND]", unknown.Error, StringComparison.Ordinal);
    }
}
