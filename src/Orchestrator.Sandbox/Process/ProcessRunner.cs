using System.Buffers;
using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Orchestrator.Sandbox.Process;

/// <summary>
/// Starts a <see cref="LaunchPlan"/> with its exact environment, stdin closed, and stdout/stderr drained concurrently
/// into bounded <see cref="HeadTailBuffer"/>s; kills the whole process group on timeout, cancellation, or when
/// something keeps the pipes open past the drain timeout.
/// </summary>
/// <remarks>
/// The launched process is expected to lead its own process group (the sandbox helper calls setsid); killing means
/// SIGKILL to the group <c>-pid</c> and, as a fallback, <see cref="System.Diagnostics.Process.Kill()"/> on the pid
/// itself — .NET only signals a pid it has not reaped yet, so a recycled pid is never hit. Then <c>onKill</c> runs,
/// for extra steps the sandbox layer owns (e.g. killing a cgroup); if it throws, cleanup still completes and the
/// exception is rethrown from <see cref="RunAsync"/> once the pipes are drained.
/// The child inherits SIGPIPE ignored from the .NET runtime (Process.Start only resets signals with handlers); the
/// launched helper should restore default dispositions before exec.
/// </remarks>
public sealed class ProcessRunner(Func<int, ValueTask>? onKill = null)
{
    private const int ReadBufferSize = 64 * 1024;

    // After SIGKILL the process is normally reaped within milliseconds; this only guards against one stuck in the kernel.
    private static readonly TimeSpan ExitAfterKillGrace = TimeSpan.FromSeconds(5);

    /// <exception cref="LaunchException">The working directory or the program is missing; nothing was started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before start.</exception>
    public async Task<ProcessOutcome> RunAsync(LaunchPlan plan, OutputLimits output, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");

        var startInfo = BuildStartInfo(plan);
        cancellationToken.ThrowIfCancellationRequested();

        using var process = new System.Diagnostics.Process { StartInfo = startInfo };
        var clock = Stopwatch.StartNew();
        try
        {
            await LaunchThread.RunAsync(() => Start(process, plan.InheritedDescriptors)).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new LaunchException($"Could not start '{startInfo.FileName}': {e.Message}", nameof(LaunchPlan.FileName), e);
        }
        var pid = process.Id;
        var killer = new Killer(process, pid, onKill);
        try
        {
            return await SuperviseAsync(process, killer, clock, output, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch when (!process.HasExited)
        {
            // Never leave a process behind because supervising it failed.
            await killer.KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static readonly object InheritLock = new();

    private static void Start(System.Diagnostics.Process process, ImmutableArray<int> inherited)
    {
        if (inherited.IsDefaultOrEmpty)
        {
            process.Start();
            return;
        }
        lock (InheritLock)
        {
            foreach (var fd in inherited) NativeDescriptors.SetCloseOnExec(fd, false);
            try
            {
                process.Start();
            }
            finally
            {
                foreach (var fd in inherited) NativeDescriptors.SetCloseOnExec(fd, true);
            }
        }
    }

    private static async Task<ProcessOutcome> SuperviseAsync(
        System.Diagnostics.Process process, Killer killer, Stopwatch clock, OutputLimits output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CloseQuietly(process.StandardInput);

        using var stdout = new HeadTailBuffer(output);
        using var stderr = new HeadTailBuffer(output);
        using var stopReading = new CancellationTokenSource();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, stdout, stopReading.Token),
            PumpAsync(process.StandardError.BaseStream, stderr, stopReading.Token));

        var ending = await WaitForEndingAsync(process, timeout, cancellationToken).ConfigureAwait(false);
        if (ending != Ending.Exited)
        {
            await killer.KillAsync().ConfigureAwait(false);
            await WaitForExitQuietlyAsync(process, ExitAfterKillGrace).ConfigureAwait(false);
        }
        var duration = clock.Elapsed;

        var drainTimedOut = false;
        if (!await CompletesWithinAsync(pumps, output.EffectiveDrainTimeout).ConfigureAwait(false))
        {
            drainTimedOut = true;
            await killer.KillAsync().ConfigureAwait(false);
            await stopReading.CancelAsync().ConfigureAwait(false);
        }
        await pumps.ConfigureAwait(false);
        killer.ThrowIfHookFailed();

        var rawExit = process.HasExited ? process.ExitCode : 128 + Signals.Kill;
        var (exitCode, signal) = ending switch
        {
            Ending.TimedOut => (ProcessOutcome.TimeoutExitCode, Signals.Kill),
            Ending.Cancelled => (ProcessOutcome.CancelledExitCode, Signals.Kill),
            _ => (rawExit, Signals.FromExitCode(rawExit)),
        };
        return new ProcessOutcome(exitCode, ending == Ending.TimedOut, signal, duration, stdout.ToCapturedOutput(), stderr.ToCapturedOutput(), killer.Pid, drainTimedOut)
        {
            Cancelled = ending == Ending.Cancelled,
        };
    }

    private static ProcessStartInfo BuildStartInfo(LaunchPlan plan)
    {
        if (string.IsNullOrEmpty(plan.WorkingDirectory) || !Path.IsPathRooted(plan.WorkingDirectory))
            throw new LaunchException($"The working directory '{plan.WorkingDirectory}' is not an absolute path.", nameof(LaunchPlan.WorkingDirectory));
        if (!Directory.Exists(plan.WorkingDirectory))
        {
            throw new LaunchException(
                File.Exists(plan.WorkingDirectory)
                    ? $"The working directory '{plan.WorkingDirectory}' is not a directory."
                    : $"The working directory '{plan.WorkingDirectory}' does not exist.",
                nameof(LaunchPlan.WorkingDirectory));
        }

        var startInfo = new ProcessStartInfo
        {
            FileName = ProgramResolver.Resolve(plan.FileName, plan.WorkingDirectory, plan.Environment),
            WorkingDirectory = plan.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in plan.Arguments.IsDefault ? [] : plan.Arguments)
            startInfo.ArgumentList.Add(argument);
        // ProcessStartInfo.Environment starts as a copy of ours; the plan's environment is the whole environment.
        startInfo.Environment.Clear();
        foreach (var (name, value) in plan.Environment)
            startInfo.Environment[name] = value;
        return startInfo;
    }

    private static async Task<Ending> WaitForEndingAsync(System.Diagnostics.Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(either.Token).ConfigureAwait(false);
            return Ending.Exited;
        }
        catch (OperationCanceledException)
        {
            // The process may have exited in the same instant; then it was not cut short.
            if (process.HasExited)
                return Ending.Exited;
            return cancellationToken.IsCancellationRequested ? Ending.Cancelled : Ending.TimedOut;
        }
    }

    private static async Task WaitForExitQuietlyAsync(System.Diagnostics.Process process, TimeSpan limit)
    {
        using var timer = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan limit)
    {
        if (task.IsCompleted)
            return true;
        using var timer = new CancellationTokenSource();
        var winner = await Task.WhenAny(task, Task.Delay(limit, timer.Token)).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        return winner == task;
    }

    // Reads to EOF so the child never blocks on a full pipe, keeping only what the buffer keeps.
    private static async Task PumpAsync(Stream stream, HeadTailBuffer sink, CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), stop).ConfigureAwait(false);
                if (read == 0)
                    return;
                sink.Write(buffer.AsSpan(0, read));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The pipe broke under us (e.g. torn down while killing): what was read is all there is.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CloseQuietly(StreamWriter stdin)
    {
        try
        {
            stdin.Close();
        }
        catch (IOException)
        {
            // The child already exited and closed its end.
        }
    }

    private enum Ending
    {
        Exited,
        TimedOut,
        Cancelled,
    }

    private sealed class Killer(System.Diagnostics.Process process, int pid, Func<int, ValueTask>? onKill)
    {
        private ExceptionDispatchInfo? _hookFailure;

        public int Pid => pid;

        public async ValueTask KillAsync()
        {
            NativeSignals.KillGroup(pid);
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited and reaped.
            }
            catch (Win32Exception)
            {
                // ESRCH between the check and the signal.
            }
            if (onKill is null)
                return;
            try
            {
                await onKill(pid).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Finish our own cleanup first; the caller hears about it once the pipes are drained.
                _hookFailure ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        public void ThrowIfHookFailed() => _hookFailure?.Throw();
    }
}
