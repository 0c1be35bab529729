using Tuntas.Cli;
using Tuntas.Cli.Commands;

// The `tuntas` command. Human text goes to standard error, machine output (--json, exports) to standard output.
var context = CliContext.FromEnvironment();
return await TuntasCommand.Create(context).Parse(args).InvokeAsync();

namespace Tuntas.Cli
{
    public static class TuntasCommand
    {
        public static RootCommand Create(CliContext context)
        {
            var root = new RootCommand(CliTexts.Both("Command.Tuntas"));
            root.Subcommands.Add(ImportCommands.Create(context));
            root.Subcommands.Add(DbCommands.Create(context));
            root.Subcommands.Add(UserCommands.Create(context));
            root.Subcommands.Add(DemoCommand.Create(context));
            root.Subcommands.Add(TargetingCommands.Create(context));
            root.Subcommands.Add(ProgramCommands.Create(context));
            root.Subcommands.Add(AuditCommands.Create(context));
            root.Subcommands.Add(UpkCommands.Create(context));
            root.Subcommands.Add(LinkageCommands.Create(context));
            root.Subcommands.Add(DuplicateCommands.Create(context));
            root.Subcommands.Add(VerivaliCommands.Create(context));
            root.Subcommands.Add(RegistryCommands.Create(context));
            return root;
        }
    }
}
