using System.Globalization;
using Tuntas.Bench;

// Tuntas benchmark harness (docs/benchmarks.md).
//   dotnet run -c Release --project bench/Tuntas.Bench -- import --persons 1000000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- lookup --provider sqlite
//   dotnet run -c Release --project bench/Tuntas.Bench -- targeting --families 1000000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- programs --provider both   (after the targeting benchmark)
//   dotnet run -c Release --project bench/Tuntas.Bench -- collaboration --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- audit --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- upk --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- linkage --data ../shared/data/linkage
//   dotnet run -c Release --project bench/Tuntas.Bench -- duplicates --families 30000 --faults 0.02 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- verivali --families 300000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- profiles --persons 100000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- profiles-bdt --persons 100000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- import-phases --persons 300000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- registry-export --persons 1000000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- villages --persons 100000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- field --families 3000 --submissions 1000 --provider both
//   dotnet run -c Release --project bench/Tuntas.Bench -- dci --families 30000 --requests 20000 --concurrency 16
//   dotnet run -c Release --project bench/Tuntas.Bench -- startup [--cli DIR] [--runs 7]
//   dotnet run -c Release --project bench/Tuntas.Bench -- export [--db bench/out/sqlite/tuntas.db] [--cli DIR]
if (args.Length > 0 && args[0] == "targeting")
{
    return await TargetingBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "collaboration")
{
    return await CollaborationBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "audit")
{
    return await AuditBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "upk")
{
    return await UpkBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "linkage")
{
    return await LinkageBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "duplicates")
{
    return await DuplicatesBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "verivali")
{
    return await VerivaliBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "profiles-bdt")
{
    return await BdtProfileBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "profiles")
{
    return await ProfilesBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "import-phases")
{
    return await ImportPhasesBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "village-imports")
{
    return await VillageImportsBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "villages")
{
    return await VillagesBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "registry-export")
{
    return await RegistryExportBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "field")
{
    return await FieldBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "dci-notify")
{
    return await DciNotifyBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "dci")
{
    return await DciBench.RunAsync(args);
}
if (args.Length > 0 && args[0] is "startup" or "export")
{
    return await StartupBench.RunAsync(args);
}
if (args.Length > 0 && args[0] == "programs")
{
    return await ProgramsBench.RunAsync(args);
}
try
{
    var options = BenchOptions.Parse(args);
    if (options is null)
    {
        Console.Error.WriteLine(BenchOptions.Usage);
        return 2;
    }
    return await new BenchRun(options).RunAsync(CancellationToken.None);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: {e.Message}"));
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
