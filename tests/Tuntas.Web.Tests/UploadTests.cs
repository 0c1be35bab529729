using System.Net;
using System.Text;
using Tuntas.Testing;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>Upload checks that need no importer: they refuse before a job is created.</summary>
public sealed class UploadTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Xlsx_that_is_not_a_zip_is_refused_without_creating_a_job(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsAdministratorAsync();
        var page = await ParseAsync(await client.GetStringAsync("/Impor"));
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("NO_KK,NIK\n")), "Upload", "palsu.xlsx" },
        };
        var response = await client.PostAsync("/Impor", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.NotNull(result.QuerySelector(".error"));
        Assert.Null(result.QuerySelector("#pekerjaan"));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Api_import_answers_202_with_the_job_location(string provider)
    {
        await using var app = await CreateAsync(provider);
        var client = await app.SignInAsVillageOperatorAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("KODE_DESA,NO_KK\n"u8.ToArray()), "file", "kosong.csv" },
            { new StringContent("true"), "dryRun" },
        };
        var response = await client.PostAsync("/api/families/import", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Matches("^/api/imports/[0-9]+$", response.Headers.Location!.OriginalString);
        var job = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, job.StatusCode);
    }
}
