using System.CommandLine;
using Orchestrator.Cli.Output;
using Orchestrator.Core.Policy;
using Orchestrator.Core.Policy.Workspaces;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator check</c> and <c>orchestrator policy explain</c>: judge one call and say why.</summary>
internal static class CheckCommand
{
    public static Command Create(string name, string description, bool explain)
    {
        var command = new Command(name, description);
        var policy = new PolicyOptions();
        var call = new CallOptions();
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON" };
        policy.AddTo(command);
        call.AddTo(command);
        command.Options.Add(json);
        command.SetAction(result => Run(result, policy, call, result.GetValue(json), explain));
        return command;
    }

    private static int Run(ParseResult result, PolicyOptions policyOptions, CallOptions callOptions, bool json, bool explain)
    {
        var (call, error) = callOptions.Build(result, Console.OpenStandardInput());
        if (call is null)
        {
            Console.Error.WriteLine($"orchestrator: {error}");
            return ExitCodes.BadInput;
        }
        var policy = new PolicyCatalog(policyOptions.Build(result)).Default;
        foreach (var e in policy.Snapshot.Errors) Console.Error.WriteLine($"orchestrator: policy error: {e} (failing closed)");
        var verdict = policy.Evaluator.Evaluate(call, sandboxed: !result.GetValue(callOptions.Unsandboxed));

        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            VerdictPrinter.PrintJson(stdout, call, verdict);
        }
        else
            VerdictPrinter.PrintText(Console.Out, call, verdict, allFindings: explain);

        if (verdict.ReasonClass == ReasonClass.InvalidInput)
        {
            if (!json) Console.Error.WriteLine($"orchestrator: invalid input: {verdict.Reason}");
            return ExitCodes.BadInput;
        }
        return verdict.Decision switch
        {
            Decision.Allow => ExitCodes.Allow,
            Decision.Ask => ExitCodes.Ask,
            _ => ExitCodes.Deny,
        };
    }
}
