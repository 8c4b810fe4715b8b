namespace Orchestrator.Cli.Commands;

/// <summary>
/// A test hook of <c>serve</c>: with <c>ORCHESTRATOR_TEST_RECOVERY_GATE=FILE</c> the server starts serving but recovers
/// its journal's sessions only once FILE exists, so end-to-end tests can observe reads made while it recovers without
/// racing it. Unset (always, outside tests): no gate.
/// </summary>
internal static class RecoveryGateFile
{
    public const string Variable = "ORCHESTRATOR_TEST_RECOVERY_GATE";

    public static Task? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? WaitForAsync(Path.GetFullPath(path)) : null;

    private static async Task WaitForAsync(string path)
    {
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path)) { EnableRaisingEvents = true };
        watcher.Created += (_, _) => appeared.TrySetResult();
        watcher.Renamed += (_, _) => appeared.TrySetResult();
        // Watching first, then looking: a file created in between is seen by one or the other.
        if (File.Exists(path)) appeared.TrySetResult();
        await appeared.Task.ConfigureAwait(false);
    }
}
