using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.Sandbox.Linux;

/// <summary>
/// Where the helper and bubblewrap are, and what the kernel offers (the helper's <c>--probe</c>, asked once).
/// The helper is found through <c>ORCHESTRATOR_SANDBOX_HELPER</c>, next to our own executable, or in the
/// repository's <c>artifacts/bin</c> (where <c>ops/setup.sh</c> publishes it).
/// </summary>
public sealed class SandboxTools
{
    public const string HelperFileName = "orchestrator-sandbox";

    private readonly Lazy<KernelFeatures> _features;

    public SandboxTools(string? helperPath, string? bubblewrapPath)
    {
        HelperPath = helperPath;
        BubblewrapPath = bubblewrapPath;
        _features = new Lazy<KernelFeatures>(Probe);
    }

    public string? HelperPath { get; }
    public string? BubblewrapPath { get; }

    /// <summary>util-linux's <c>setsid</c>, which bubblewrap is started through (see <see cref="LinuxSandbox.BuildLaunch"/>).</summary>
    public string? SetsidPath { get; init; } = FindOnPath("setsid");
    public KernelFeatures Features => _features.Value;

    public static SandboxTools Discover(bool useBubblewrap = true) =>
        new(FindHelper(), useBubblewrap && Environment.GetEnvironmentVariable("ORCHESTRATOR_NO_BWRAP") != "1" ? FindOnPath("bwrap") : null);

    public static string? FindHelper()
    {
        if (Environment.GetEnvironmentVariable("ORCHESTRATOR_SANDBOX_HELPER") is { Length: > 0 } configured)
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        var beside = Path.Combine(AppContext.BaseDirectory, HelperFileName);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "bin", HelperFileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// <paramref name="program"/> in the first directory of <paramref name="searchPath"/> (default <c>PATH</c>) that has it.
    /// Only absolute directories are searched: a relative entry (<c>.</c>, <c>bin</c>) would resolve against the current
    /// directory — for <c>orchestrator run</c> the agent's workspace — and let the agent plant what starts the sandbox.
    /// </summary>
    public static string? FindOnPath(string program, string? searchPath = null)
    {
        foreach (var dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Path.IsPathFullyQualified(dir)) continue;
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private KernelFeatures Probe()
    {
        if (HelperPath is null) return KernelFeatures.Unknown("the sandbox helper (orchestrator-sandbox) was not found; run ops/setup.sh");
        try
        {
            var info = new ProcessStartInfo(HelperPath, "--probe") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            var abi = root.TryGetProperty("landlockAbi", out var l) ? l.GetInt32() : 0;
            if (Environment.GetEnvironmentVariable("ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK") == "1") abi = 0;
            var seccomp = root.TryGetProperty("seccomp", out var s) && s.GetBoolean();
            var mountNamespace = root.TryGetProperty("mountNamespace", out var m) && m.GetBoolean()
                && root.TryGetProperty("mountApi", out var api) && api.GetBoolean();
            return new KernelFeatures(abi, seccomp, null) { MountNamespace = mountNamespace };
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return KernelFeatures.Unknown($"the sandbox helper's probe failed: {e.Message}");
        }
    }
}

/// <summary>What the kernel offers the built-in layer.</summary>
public sealed record KernelFeatures(int LandlockAbi, bool Seccomp, string? Problem)
{
    /// <summary>Whether the helper can have a mount namespace of its own (root, or user namespaces) and the fd-based mount calls.</summary>
    public bool MountNamespace { get; init; }

    public static KernelFeatures Unknown(string problem) => new(0, false, problem);
}
