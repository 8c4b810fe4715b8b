using System.Diagnostics;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>One run of the real <c>orchestrator</c> command, with its exit code and output.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static Result Run(IReadOnlyDictionary<string, string>? environment, params string[] args) => RunIn(null, environment, args);

    /// <param name="workingDirectory">Where the command runs (null: the test's own).</param>
    public static Result RunIn(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunWithInput(workingDirectory, environment, stdin: null, args);

    /// <param name="patience">How long the command may take before it is killed and the test fails.</param>
    public static Result RunIn(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan patience, params string[] args) =>
        Execute(workingDirectory, environment, null, patience, args);

    /// <param name="stdin">Written to the command's stdin before it is closed (null: closed at once).</param>
    public static Result RunWithInput(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, byte[]? stdin, params string[] args) =>
        Execute(workingDirectory, environment, stdin, TimeSpan.FromSeconds(60), args);

    private static Result Execute(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, byte[]? stdin, TimeSpan patience, string[] args)
    {
        var info = new ProcessStartInfo(ServerProcess.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("ORCHESTRATOR_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(patience))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"orchestrator {string.Join(' ', args)} did not finish within {patience.TotalSeconds:0} s; stderr: {stderr.Result}");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Run(null, args);
}
