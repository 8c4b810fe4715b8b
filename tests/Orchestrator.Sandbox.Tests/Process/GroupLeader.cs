using System.Collections.Immutable;
using Orchestrator.Sandbox.Process;

namespace Orchestrator.Sandbox.Tests.Process;

/// <summary>
/// Plans that start through util-linux <c>setsid</c> and coreutils <c>env --default-signal</c>, standing in for the
/// sandbox helper: the child is not a group leader, so setsid execs in place and the pid we see leads its own session and
/// process group; env gives the program every signal's default back, as the helper does (the test host may have been
/// started ignoring SIGINT, and the .NET runtime ignores SIGPIPE).
/// </summary>
internal static class GroupLeader
{
    public const string Setsid = "/usr/bin/setsid";
    public const string Env = "/usr/bin/env";

    public static readonly ImmutableDictionary<string, string> Environment =
        EnvironmentScrubber.Default.Scrub(EnvironmentScrubber.CurrentProcessEnvironment());

    public static LaunchPlan Plan(string program, params string[] arguments) =>
        new(Setsid, [Env, "--default-signal", program, .. arguments], Path.GetTempPath(), Environment);

    /// <summary>As <see cref="Plan"/> but keeping the signal dispositions the test host has.</summary>
    public static LaunchPlan PlanInheritingSignals(string program, params string[] arguments) =>
        new(Setsid, [program, .. arguments], Path.GetTempPath(), Environment);

    public static LaunchPlan Shell(string script) => Plan("/bin/sh", "-c", script);
}
