using System.Text;
using Microsoft.AspNetCore.Http;
using Tuntas.Web.Uploads;

namespace Tuntas.Web.Tests;

/// <summary>The one upload check shared by the registry import, recipient lists and the UPK loan book.</summary>
public sealed class UploadCheckTests
{
    private static FormFile File(byte[] content, string name) => new(new MemoryStream(content), 0, content.Length, "file", name);

    /// <summary>A file whose stream holds more than its declared length (a form part read by another parser).</summary>
    private sealed class LyingFile(byte[] content, long claimedLength) : IFormFile
    {
        public string ContentType => "text/csv";
        public string ContentDisposition => "form-data; name=\"file\"; filename=\"a.csv\"";
        public IHeaderDictionary Headers { get; } = new HeaderDictionary();
        public long Length => claimedLength;
        public string Name => "file";
        public string FileName => "a.csv";
        public Stream OpenReadStream() => new MemoryStream(content);
        public void CopyTo(Stream target) => OpenReadStream().CopyTo(target);
        public Task CopyToAsync(Stream target, CancellationToken cancellationToken = default) => OpenReadStream().CopyToAsync(target, cancellationToken);
    }

    [Theory]
    [InlineData("daftar.csv", "NIK,NAMA\n", null)]
    [InlineData("daftar.exe", "NIK,NAMA\n", "UPLOAD_EXTENSION")]
    [InlineData("daftar.xlsx", "NIK,NAMA\n", "UPLOAD_CONTENT")]
    [InlineData("buku.zip", "PK\u0003\u0004rest", null)]
    [InlineData("daftar.csv", "PK\u0003\u0004rest", "UPLOAD_CONTENT")]
    [InlineData("daftar.csv", "", "FILE_EMPTY")]
    [InlineData("", "", "UPLOAD_MISSING")]
    public async Task Refuses_by_extension_and_by_content(string name, string content, string? code)
    {
        var kind = new UploadKind(1024, ".csv", ".xlsx", ".zip");
        var refusal = await UploadCheck.RefusalAsync(File(Encoding.UTF8.GetBytes(content), name), kind, CancellationToken.None);
        Assert.Equal(code, refusal?.Code);
        if (refusal is not null)
        {
            Assert.Equal("file", refusal.Field);
            Assert.NotEqual(refusal.Message, refusal.MessageEn);
        }
    }

    /// <summary>An Excel 97–2003 workbook, named .xls or renamed .xlsx or .csv, gets the CLI's "save it as .xlsx".</summary>
    [Theory]
    [InlineData("daftar.xls")]
    [InlineData("daftar.xlsx")]
    [InlineData("daftar.csv")]
    public async Task An_old_excel_workbook_is_told_to_be_saved_as_xlsx_whatever_its_name(string name)
    {
        byte[] ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        var refusal = await UploadCheck.RefusalAsync(File(ole2, name), new UploadKind(1024, ".csv", ".xlsx"), CancellationToken.None);
        Assert.Equal("FILE_XLS", refusal?.Code);
        Assert.Contains(".xlsx", refusal!.Message, StringComparison.Ordinal);
        Assert.Contains("Save As", refusal.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_the_limit_in_megabytes()
    {
        var kind = new UploadKind(1024 * 1024, ".csv");
        var refusal = await UploadCheck.RefusalAsync(File(new byte[(1024 * 1024) + 1], "besar.csv"), kind, CancellationToken.None);
        Assert.Equal("UPLOAD_TOO_LARGE", refusal?.Code);
        Assert.Contains("1 MB", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_copy_stops_at_the_limit_whatever_length_the_request_claimed()
    {
        var kind = new UploadKind(100, ".csv");
        var path = UploadCheck.TemporaryPath("tuntas-uji-", "a.csv");
        var lying = new LyingFile(new byte[1000], claimedLength: 10);
        Assert.Null(await UploadCheck.CopyAsync(lying, kind, path, CancellationToken.None));
        Assert.False(System.IO.File.Exists(path));

        var honest = File(Encoding.UTF8.GetBytes("NIK\n"), "a.csv");
        var sha = await UploadCheck.CopyAsync(honest, kind, path, CancellationToken.None);
        try
        {
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("NIK\n"u8)), sha);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}

/// <summary>An upload that runs past a limit while it streams in (a chunked request has no length to refuse first) is
/// answered "the file is larger than the upload limit", not "the input holds a NUL character".</summary>
public sealed class UploadLimitMessageTests
{
    [Fact]
    public async Task A_multipart_body_past_its_limit_is_too_large_not_invalid()
    {
        var context = new DefaultHttpContext();
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + new string('x', 4096) + "\r\n--b--\r\n";
        context.Request.Method = "POST";
        context.Request.ContentType = "multipart/form-data; boundary=b";
        context.Request.Body = new MemoryStream(Encoding.ASCII.GetBytes(body));
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(
            new Microsoft.AspNetCore.Http.Features.FormFeature(context.Request, new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = 1024 }));

        Assert.Equal("Input.UploadTooLarge", await Tuntas.Web.Security.InputGuard.FormProblemAsync(context.Request, CancellationToken.None));
    }
}

/// <summary>
/// A probe's 40 previews at once took the web app to 6.9 GB: files read in a request are read a few at a time, and a
/// request that finds no slot free within the wait is told "busy" without its file being read.
/// </summary>
public sealed class FileReadGateTests
{
    [Fact]
    public async Task A_read_beyond_the_slots_waits_then_is_refused_and_a_freed_slot_is_taken_again()
    {
        var gate = new FileReadGate(slots: 1, wait: TimeSpan.FromMilliseconds(50));
        var holding = new TaskCompletionSource<string>();
        var first = gate.ReadAsync(() => holding.Task, CancellationToken.None);
        var readWhileBusy = false;

        var refused = await gate.ReadAsync(() => { readWhileBusy = true; return Task.FromResult("gelombang kedua"); }, CancellationToken.None);
        holding.SetResult("pertama");
        var after = await gate.ReadAsync(() => Task.FromResult("ketiga"), CancellationToken.None);

        Assert.Null(refused);
        Assert.False(readWhileBusy);
        Assert.Equal("pertama", await first);
        Assert.Equal("ketiga", after);
        Assert.Equal("SERVER_BUSY", FileReadGate.Busy.Code);
    }
}
