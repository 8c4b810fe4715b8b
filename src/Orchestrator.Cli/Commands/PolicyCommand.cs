using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Policy;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator policy show|validate|explain</c>.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Inspect the effective policy merged from the five settings layers");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(CheckCommand.Create("explain", "Judge one call and show every finding behind the verdict", explain: true));
        return command;
    }

    private static Command Show()
    {
        var command = new Command("show", "Print the effective merged policy and where each rule and setting came from");
        var policy = new PolicyOptions();
        var json = new Option<bool>("--json") { Description = "Print as JSON" };
        policy.AddTo(command);
        command.Options.Add(json);
        command.SetAction(result =>
        {
            var snapshot = PolicyLoader.Load(policy.Build(result));
            if (result.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                PolicyPrinter.PrintJson(stdout, snapshot);
            }
            else PolicyPrinter.PrintText(Console.Out, snapshot);
            return snapshot.FailedClosed ? ExitCodes.Failure : ExitCodes.Allow;
        });
        return command;
    }

    private static Command Validate()
    {
        var command = new Command("validate", "Load every layer and report errors (file:line:column) and warnings; exit 1 on any error");
        var policy = new PolicyOptions();
        policy.AddTo(command);
        command.SetAction(result =>
        {
            var snapshot = PolicyLoader.Load(policy.Build(result));
            foreach (var e in snapshot.Errors) Console.Error.WriteLine($"error: {e}");
            foreach (var w in snapshot.Warnings) Console.Error.WriteLine($"warning: {w}");
            var rules = snapshot.DenyRules.Count + snapshot.AskRules.Count + snapshot.AllowRules.Count;
            if (snapshot.FailedClosed)
            {
                Console.Out.WriteLine($"invalid: {snapshot.Errors.Count} error(s); the policy fails closed (managed rules only, everything else denied)");
                return ExitCodes.Failure;
            }
            Console.Out.WriteLine($"valid: {rules} rule(s) from {snapshot.Sources.Count} source(s), {snapshot.Warnings.Count} warning(s), version {snapshot.Version}");
            return ExitCodes.Allow;
        });
        return command;
    }
}
