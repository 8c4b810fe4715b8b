namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>Runs the helper with options, then <c>--</c> and a command.</summary>
public sealed class SandboxHelperRunner(HelperBinary binary)
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The strictest combination the orchestrator uses for workspace-write with network off.</summary>
    public static string[] FullSandbox(string workspace) =>
    [
        "--landlock", "--ro", "/", "--rw", workspace, "--rw-file", "/dev/null", "--net", "off", "--scope", "--seccomp",
        "--require", "landlock,seccomp", "--drop-caps",
    ];

    public string Path => binary.Path;

    public ProcessResult Run(
        IEnumerable<string> options,
        IEnumerable<string> command,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.Run(binary.Path, options.Append("--").Concat(command), environment);

    public ProcessResult RunPython(IEnumerable<string> options, string script, params string[] args) =>
        Run(options, new[] { Python, "-c", script }.Concat(args));
}
