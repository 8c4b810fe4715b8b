using System.Diagnostics;
using System.Text;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>
/// Runs a script with real bash (<c>bash --norc --noprofile -c SCRIPT</c>, as Orchestrator runs commands) inside a
/// throwaway bubblewrap sandbox: the root file system read-only, no network, a private <c>/tmp</c>, and a fresh scratch
/// working directory and HOME as the only writable places. strace records every successful <c>execve</c> of every
/// process; <c>set -x</c> (through <c>SHELLOPTS</c>, so nested bash scripts trace too) written to
/// <c>BASH_XTRACEFD</c> records the builtins.
/// </summary>
internal static class TracedBash
{
    private const string ZeroArgument = "orchestrator-differential";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly Lazy<string?> Missing = new(FindMissingTools);

    /// <summary>Null when bash, bubblewrap and strace are all usable here, else what is missing (the caller fails loudly).</summary>
    public static string? MissingTools => Missing.Value;

    /// <summary>The files every run starts with, relative to the scratch root.</summary>
    public static readonly IReadOnlyDictionary<string, string> SeedFiles = new Dictionary<string, string>
    {
        ["work/a.txt"] = "alpha\n",
        ["work/b.txt"] = "beta\n",
        ["work/with space.txt"] = "gamma\n",
        ["work/dir/c.txt"] = "delta\n",
        ["work/.hidden"] = "epsilon\n",
        ["work/run.sh"] = "cat a.txt\n",
        ["home/h.txt"] = "home\n",
    };

    /// <summary>Runs <paramref name="script"/> and hands what it did to <paramref name="inspect"/> while its scratch directories still exist.</summary>
    public static T Run<T>(string script, Func<TracedRun, T> inspect)
    {
        if (MissingTools is { } missing) throw new InvalidOperationException(missing);
        var root = Directory.CreateTempSubdirectory("orchestrator-bashdiff-").FullName;
        try
        {
            foreach (var (path, content) in SeedFiles)
            {
                var full = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            var work = Path.Combine(root, "work");
            var home = Path.Combine(root, "home");
            var trace = Path.Combine(root, "trace");
            Directory.CreateDirectory(trace);
            // PS4 is not taken from the environment when bash runs as root, so each bash sets it at startup.
            File.WriteAllText(Path.Combine(trace, "init.sh"), "PS4=$'\\x01 '\n");

            var (exitCode, timedOut, stderr) = Execute(root, work, home, trace, script);
            if (timedOut) return inspect(new TracedRun(script, [], [], exitCode, timedOut, stderr, home, work));
            var executed = StraceExecLog.Read(trace, skip: ["bash", "--norc", "--noprofile", "-c", script, ZeroArgument]);
            var builtins = XtraceLog.Read(Path.Combine(trace, "xtrace"), BashBuiltins.Value);
            return inspect(new TracedRun(script, executed, builtins, exitCode, timedOut, stderr, home, work));
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static (int ExitCode, bool TimedOut, string Stderr) Execute(string root, string work, string home, string trace, string script)
    {
        var info = new ProcessStartInfo("bwrap")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", root, root,
            "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", home, "--setenv", "LANG", "C.UTF-8",
            "--setenv", "BASH_ENV", Path.Combine(trace, "init.sh"), "--setenv", "SHELLOPTS", "xtrace", "--setenv", "BASH_XTRACEFD", "9",
            "--chdir", work,
            "/bin/sh", "-c",
            "exec 9>\"$1/xtrace\" </dev/null; exec strace -ff -qq -xx -e trace=execve -e signal=none -s 65535 -o \"$1/exec\" " +
            $"bash --norc --noprofile -c \"$2\" {ZeroArgument}",
            "sh", trace, script,
        })
            info.ArgumentList.Add(argument);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("bwrap did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, true, stderr.Result);
        }
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, false, stderr.Result);
    }

    private static readonly Lazy<IReadOnlySet<string>> BashBuiltins = new(() =>
    {
        var output = RunQuietly("bash", "--norc", "--noprofile", "-c", "compgen -b");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    });

    private static string? FindMissingTools()
    {
        var missing = new List<string>();
        foreach (var tool in new[] { "bash", "bwrap", "strace" })
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, tool)));
            if (!found) missing.Add(tool);
        }
        if (missing.Count > 0)
            return $"the differential test of the shell parser needs {string.Join(", ", missing)} on PATH (ops/setup.sh installs them)";
        try
        {
            _ = RunQuietly("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--die-with-parent",
                "strace", "-qq", "-e", "trace=execve", "-o", "/dev/null", "/bin/true");
            return null;
        }
        catch (InvalidOperationException e)
        {
            return $"bubblewrap with strace inside does not work here: {e.Message}";
        }
    }

    private static string RunQuietly(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {error.Result.Trim()}");
        return output.Result;
    }

    internal static string Decode(byte[] bytes) => new UTF8Encoding(false, false).GetString(bytes);
}
