using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CSharp.RuntimeBinder;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using Tuntas.Testing;
using Tuntas.Users;
using Tuntas.Web.Security;
using static Tuntas.Web.Tests.TuntasWebFactory;

namespace Tuntas.Web.Tests;

/// <summary>
/// A client generated from the OpenAPI document works, as an integrator would make one: NSwag generates C# from
/// <c>/openapi/v1.json</c> as served, Roslyn compiles it, and the compiled client — typed request bodies, typed answers,
/// an exception for any status the document does not list — searches the registry, imports a file and files a complaint
/// against the running app. A document that lied (another body, another status, other property names) makes a call
/// throw or an answer come back empty, and the test fail.
/// </summary>
public sealed class GeneratedClientTests
{
    private const string Namespace = "Tuntas.Generated";

    /// <summary>The C# NSwag generates from the document (System.Text.Json, one client, methods named by operationId).</summary>
    private static async Task<string> GenerateAsync(string json)
    {
        var document = await OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "TuntasClient",
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
        };
        settings.CSharpGeneratorSettings.Namespace = Namespace;
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        return new CSharpClientGenerator(document, settings).GenerateFile();
    }

    /// <summary>Compiled against the running framework's assemblies and loaded into its own context.</summary>
    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Tuntas.Generated.Client", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var saved = Path.Combine(Path.GetTempPath(), "tuntas-generated-client.cs");
        File.WriteAllText(saved, code);
        Assert.True(emitted.Success, $"the generated client ({saved}) does not compile:\n" + string.Join("\n",
            emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        stream.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(stream);
    }

    private static dynamic New(Assembly client, string type, params object[] arguments) =>
        Activator.CreateInstance(client.GetType(Namespace + "." + type, throwOnError: true)!, arguments)!;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_client_generated_from_the_document_searches_imports_and_files_a_complaint(string provider)
    {
        await using var app = await CreateAsync(provider);
        var family = await app.SeedFamilyAsync(Keden, new SeededMember("Siti Nurhaliza", 2, new DateOnly(1985, 4, 12), 1));
        var json = await (await app.SignInAsAdministratorAsync()).GetStringAsync("/openapi/v1.json");
        var assembly = Compile(await GenerateAsync(json));

        var http = app.CreateClient();
        http.DefaultRequestHeaders.Add(ApiKeyHandler.HeaderName, await app.AddApiClientAsync(Roles.Administrator));
        dynamic client = New(assembly, "TuntasClient", http);

        // A search: the typed body, the typed hits.
        dynamic search = New(assembly, "FamiliesApiSearchRequest");
        search.Query = family.Persons[0].Nik;
        var hits = ((IEnumerable<object>)await client.PostApiFamiliesSearchAsync(search)).Cast<dynamic>().ToList();
        var hit = Assert.Single(hits);
        Assert.Equal(family.Id, (long)hit.Id);
        Assert.Equal(Keden, (string)hit.KodeDesa);
        Assert.Equal("Siti Nurhaliza", (string)hit.KepalaKeluarga);

        // An import: the file as multipart, the 202 job, then the job polled until its report is there.
        var csv = new ImportFileBuilder().Family(7101, wife: true, children: 2).ToCsv();
        using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        // profile and village empty: the layout detected from the header, the administrator's regency-wide scope; no moves.
        dynamic job = await client.PostApiFamiliesImportAsync(New(assembly, "FileParameter", file, "keluarga.csv", "text/csv"), false, "", "", false);
        long jobId = job.Id;
        Assert.False((bool)job.DryRun);
        var polls = 0;
        while (job.FinishedAt is null && ++polls < 600)
        {
            await Task.Delay(100);
            job = await client.GetApiImportsByidAsync(jobId);
        }
        Assert.NotNull(job.FinishedAt);
        Assert.Equal(0, (int)job.ErrorCount);
        await using (var db = app.Database.CreateDb())
        {
            Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Families, f => f.NoKk == ImportFileBuilder.NoKkFor(7101)));
        }

        // A complaint, anonymously through the same client: 201 with its ticket, then followed by the ticket.
        dynamic complaint = New(assembly, "PublicApiComplaintRequest");
        complaint.Kategori = "data-salah";
        complaint.Nama = "Warga Keden";
        complaint.KodeDesa = Keden;
        complaint.Uraian = "Jumlah anggota keluarga kami di data salah: anak kedua belum tercatat.";
        dynamic filed = await New(assembly, "TuntasClient", app.CreateClient()).PostApiPublicComplaintsAsync(complaint);
        string ticket = filed.Tiket;
        Assert.False(string.IsNullOrEmpty(ticket));
        dynamic tracked = await client.GetApiPublicComplaintsByticketAsync(ticket);
        Assert.Equal("data-salah", (string)tracked.Category);

        // What the document does not promise is an error, not a silent default: a refused search body is the client's exception.
        search.Query = "";
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () => await client.PostApiFamiliesSearchAsync(search));
        Assert.IsNotType<RuntimeBinderException>(refused);
        Assert.Equal(400, (int)((dynamic)refused).StatusCode);
    }
}
