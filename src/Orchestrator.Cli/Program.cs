using System.CommandLine;
using Orchestrator.Cli.Commands;

var root = new RootCommand("orchestrator — decides and contains every tool call an AI agent makes");
root.Subcommands.Add(CheckCommand.Create("check", "Judge one tool call against the effective policy: allow (exit 0), ask (3) or deny (4)", explain: false));
root.Subcommands.Add(PolicyCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ApprovalsCommand.Create());
root.Subcommands.Add(HistoryCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(TokensCommand.Create());
root.Subcommands.Add(LoadTestCommand.Create());
root.Subcommands.Add(HookCommand.Create());
root.Subcommands.Add(McpCommand.Create());

try
{
    var parsed = root.Parse(args);
    // Human output never shows a control, bidi or invisible character raw; --json output stays the same JSON.
    Orchestrator.Cli.Output.EscapingTextWriter.InstallOnConsole(
        parsed.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Any(o => o.Option.Name == "--json" && !o.Implicit));
    if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
    {
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"orchestrator: {error.Message}");
        Console.Error.WriteLine("orchestrator: see 'orchestrator --help'");
        return Orchestrator.Cli.ExitCodes.BadInput;
    }
    return parsed.Invoke();
}
catch (Exception e)
{
    // Last resort: one clear line, never a stack trace unless asked for.
    Console.Error.WriteLine($"orchestrator: internal error: {e.Message}");
    if (Environment.GetEnvironmentVariable("ORCHESTRATOR_VERBOSE") == "1") Console.Error.WriteLine(e);
    return Orchestrator.Cli.ExitCodes.Failure;
}
