using System.Diagnostics;

namespace Orchestrator.Cli.Tests;

/// <summary>Runs the real `orchestrator` executable built next to the tests, isolated from the machine's settings.</summary>
public sealed class CliRunner : IDisposable
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    public CliRunner()
    {
        Root = Directory.CreateTempSubdirectory("orchestrator-cli-").FullName;
        Project = Path.Combine(Root, "project");
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(Home);
    }

    public string Root { get; }
    public string Project { get; }
    public string Home { get; }
    public string? ManagedSettings { get; set; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public Result Run(string[] args, byte[]? stdin = null)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "orchestrator");
        var info = File.Exists(exe)
            ? new ProcessStartInfo(exe)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "orchestrator.dll") } };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.WorkingDirectory = Project;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["HOME"] = Home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share");
        info.Environment.Remove("ORCHESTRATOR_TOKEN");
        info.Environment["ORCHESTRATOR_MANAGED_SETTINGS"] = ManagedSettings ?? "";

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orchestrator {string.Join(' ', args)} did not finish in 60 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public Result Check(params string[] args) => Run(["check", "--project", Project, "--cwd", Project, .. args]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
