using System.Diagnostics;
using System.Text;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>
/// Drives the real <c>orchestrator run</c> in a fresh workspace, as root or as an unprivileged user (setpriv to
/// nobody), with the built-in layer alone or with bubblewrap. Each instance owns a workspace and an outside directory.
/// </summary>
public sealed class SandboxRunner : IDisposable
{
    public const int Nobody = 65534;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public SandboxRunner(SandboxVariant variant)
    {
        Variant = variant;
        Root = Directory.CreateTempSubdirectory("orchestrator-sbx-").FullName;
        Workspace = Path.Combine(Root, "ws");
        Outside = Path.Combine(Root, "outside");
        // Not below /tmp: the sandbox gives every command a private /tmp, and a home there would vanish with it.
        Home = Directory.CreateDirectory(Path.Combine("/var/tmp", Path.GetFileName(Root) + "-home")).FullName;
        foreach (var d in new[] { Workspace, Outside, Home }) Directory.CreateDirectory(d);
        if (AsUser)
            foreach (var d in new[] { Workspace, Outside, Home }) MakeWritableByAnyone(d);
    }

    public SandboxVariant Variant { get; }
    public string Root { get; }
    public string Workspace { get; }
    public string Outside { get; }
    public string Home { get; }

    /// <summary>
    /// The data directory <c>orchestrator run</c> hosts its pipeline on: its own, created by whoever runs it (a directory
    /// below the default one may already exist, made by a test as root).
    /// </summary>
    public string Data => Path.Combine(Home, "orchestrator-data");

    /// <summary>Where <c>orchestrator run</c> moves what it takes out of the workspace (below its data directory).</summary>
    public string Quarantine => Path.Combine(Data, "quarantine");

    /// <summary>Every path below the workspace, sorted (to compare before and after a run).</summary>
    public string[] WorkspaceEntries() =>
        [.. Directory.EnumerateFileSystemEntries(Workspace, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Workspace, p)).Order(StringComparer.Ordinal)];

    /// <summary>Runs <c>python3 -c SCRIPT ARGS…</c> in the sandbox.</summary>
    public Result Python(string script, string[] args, params string[] options) =>
        Run([.. options, "--", "python3", "-c", script, .. args]);
    public bool AsUser => Variant is SandboxVariant.BuiltInAsUser or SandboxVariant.BubblewrapAsUser;
    public bool WithBubblewrap => Variant is SandboxVariant.BubblewrapAsRoot or SandboxVariant.BubblewrapAsUser;

    /// <summary>Why this variant cannot run here (said loudly by the test), or null.</summary>
    /// <summary>A runner for <paramref name="variant"/>, failing the test (naming what is missing) where this machine cannot run it.</summary>
    public static SandboxRunner For(SandboxVariant variant)
    {
        var missing = Unavailable(variant);
        Assert.True(missing is null, $"cannot run the {variant} sandbox tests on this machine: {missing}");
        return new SandboxRunner(variant);
    }

    public static string? Unavailable(SandboxVariant variant)
    {
        if (!OperatingSystem.IsLinux()) return "the Linux sandbox tests need Linux";
        if (Orchestrator.Sandbox.Linux.SandboxTools.FindHelper() is null) return "the sandbox helper is not built: run ops/setup.sh";
        if (variant is SandboxVariant.BubblewrapAsRoot or SandboxVariant.BubblewrapAsUser && Orchestrator.Sandbox.Linux.SandboxTools.FindOnPath("bwrap") is null)
            return "bubblewrap is not installed (ops/setup.sh installs it)";
        if (variant is SandboxVariant.BuiltInAsUser or SandboxVariant.BubblewrapAsUser)
        {
            if (Environment.UserName != "root") return "running as another user needs root (setpriv)";
            if (Orchestrator.Sandbox.Linux.SandboxTools.FindOnPath("setpriv") is null) return "setpriv (util-linux) is not installed";
        }
        return null;
    }

    public string Write(string relative, string content)
    {
        var path = Path.IsPathRooted(relative) ? relative : Path.Combine(Workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (AsUser)
        {
            MakeWritableByAnyone(Path.GetDirectoryName(path)!);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0x1B6); // 0666
        }
        return path;
    }

    /// <summary>Runs <c>orchestrator run [options] -- sh -c SCRIPT</c> with the workspace as working directory.</summary>
    public Result Shell(string script, params string[] options) => Run([.. options, "--", "/bin/sh", "-c", script]);

    /// <param name="wrapper">A program (and its arguments) that execs orchestrator, e.g. to leave an fd open.</param>
    public Result Run(string[] runArguments, int timeoutSeconds = 60, string[]? wrapper = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "orchestrator");
        var args = new List<string>();
        string fileName;
        if (wrapper is not null)
        {
            fileName = wrapper[0];
            args.AddRange(wrapper.Skip(1));
            if (AsUser) args.AddRange(["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--inh-caps=-all", "--"]);
            args.Add(cli);
        }
        else if (AsUser)
        {
            fileName = "setpriv";
            args.AddRange([$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--inh-caps=-all", "--", cli]);
        }
        else fileName = cli;
        args.AddRange(["run", "--yes", "--no-user-settings", "--workspace", Workspace, "--data", Data]);
        if (!runArguments.Contains("--timeout")) args.AddRange(["--timeout", "20"]);
        args.AddRange(runArguments);

        var info = new ProcessStartInfo(fileName) { WorkingDirectory = Workspace, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["HOME"] = Home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        info.Environment["ORCHESTRATOR_MANAGED_SETTINGS"] = "";
        info.Environment["ORCHESTRATOR_SANDBOX_HELPER"] = Orchestrator.Sandbox.Linux.SandboxTools.FindHelper()!;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (!WithBubblewrap) info.Environment["ORCHESTRATOR_NO_BWRAP"] = "1";
        if (Variant == SandboxVariant.BuiltInWithoutNamespacesAsRoot)
        {
            info.Environment["ORCHESTRATOR_SANDBOX_FAKE_NO_MOUNT_NS"] = "1";
            info.Environment["ORCHESTRATOR_SANDBOX_FAKE_NO_USERNS"] = "1";
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orchestrator run did not finish in {timeoutSeconds} s: {string.Join(' ', args)}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static void MakeWritableByAnyone(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null && dir.FullName != "/tmp" && dir.FullName != "/"; dir = dir.Parent)
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1FF); // 0777
    }

    public void Dispose()
    {
        foreach (var directory in new[] { Root, Home })
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
