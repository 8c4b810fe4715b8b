using System.Collections.Immutable;
using Orchestrator.Core.Calls;

namespace Orchestrator.Sandbox.MacOS;

/// <summary>
/// Turns a profile and a request into <c>/usr/bin/sandbox-exec -p PROFILE -D K=V … -- PROGRAM ARGS</c>.
/// sandbox-exec is named by absolute path so a PATH entry cannot stand in for it.
/// </summary>
public static class SeatbeltLaunchPlanBuilder
{
    public const string SandboxExec = "/usr/bin/sandbox-exec";

    /// <exception cref="ArgumentException">A path parameter is invalid (see <see cref="SeatbeltProfileBuilder"/>), or the program or an argument contains a NUL.</exception>
    public static SeatbeltLaunchPlan Build(SandboxProfile profile, CommandRequest request, string? privateTmpDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Program))
            throw new ArgumentException("The program is empty.", nameof(request));
        var arguments = request.Arguments.IsDefault ? [] : request.Arguments;
        if (request.Program.Contains('\0') || arguments.Any(a => a is null || a.Contains('\0')))
            throw new ArgumentException("The program or an argument contains a NUL (or is null); execve cannot pass it.", nameof(request));

        if (profile.Mode == SandboxMode.DangerFullAccess)
            return new SeatbeltLaunchPlan(request.Program, arguments, null);

        var policy = SeatbeltProfileBuilder.Build(profile, privateTmpDirectory);
        var args = ImmutableArray.CreateBuilder<string>();
        args.Add("-p");
        args.Add(policy.ProfileText);
        foreach (var parameter in policy.Parameters)
        {
            args.Add("-D");
            args.Add(parameter);
        }
        args.Add("--");
        args.Add(request.Program);
        args.AddRange(arguments);
        return new SeatbeltLaunchPlan(SandboxExec, args.ToImmutable(), policy);
    }
}
