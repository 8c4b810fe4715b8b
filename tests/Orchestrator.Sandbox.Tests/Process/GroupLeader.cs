using System.Collections.Immutable;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

/// <summary>
/// Plans that start through util-linux <c>setsid</c>, standing in for the sandbox helper: the child is not a group
/// leader, so setsid execs in place and the pid we see leads its own session and process group.
/// </summary>
internal static class GroupLeader
{
    public const string Setsid = "/usr/bin/setsid";

    public static readonly ImmutableDictionary<string, string> Environment =
        EnvironmentScrubber.Default.Scrub(EnvironmentScrubber.CurrentProcessEnvironment());

    public static LaunchPlan Plan(string program, params string[] arguments) =>
        new(Setsid, [program, .. arguments], Path.GetTempPath(), Environment);

    public static LaunchPlan Shell(string script) => Plan("/bin/sh", "-c", script);
}
