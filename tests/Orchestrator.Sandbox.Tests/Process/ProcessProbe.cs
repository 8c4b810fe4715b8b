namespace Orchestrator.Sandbox.Tests.Process;

internal static class ProcessProbe
{
    /// <summary>
    /// Whether <paramref name="pid"/> is gone (or a zombie waiting for a reaper, which runs nothing), polling until
    /// <paramref name="within"/> because SIGKILL is delivered asynchronously.
    /// </summary>
    public static Task<bool> IsGoneAsync(int pid, TimeSpan within) => Probe.UntilAsync(() => !IsRunning(pid), within);

    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void KillQuietly(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}
