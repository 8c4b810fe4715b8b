using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Orchestrator.Core.Hooks;

namespace Orchestrator.Actors.Hooks;

/// <summary>
/// Runs a hook with <c>/bin/sh -c</c> in the project directory, writing stdin and draining stdout/stderr concurrently (so neither side can block
/// on a full pipe), keeping the first <see cref="MaxCapturedBytes"/> of each and discarding the rest. On cancellation the
/// whole process tree is killed. A process that exits while a background child still holds its stdout open is waited
/// for until cancellation, as Claude Code does.
/// </summary>
public sealed class ShellHookProcessRunner : IHookProcessRunner
{
    public const int MaxCapturedBytes = 64 * 1024;
    private const string Shell = "/bin/sh";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public async Task<HookProcessResult> RunAsync(HookProcessRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo(Shell)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(request.Command);
        // Never fall back to another directory: a relative hook command must resolve against the project root only.
        if (!Path.IsPathRooted(request.ProjectDirectory) || !Directory.Exists(request.ProjectDirectory))
            return HookProcessResult.NotCompleted($"the project directory {request.ProjectDirectory} does not exist", clock.Elapsed);
        info.WorkingDirectory = request.ProjectDirectory;
        foreach (var (name, value) in request.Environment) info.Environment[name] = value;

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return HookProcessResult.NotCompleted($"could not start {Shell}: {e.Message}", clock.Elapsed);
        }

        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream);
        var stdin = WriteAndCloseAsync(process.StandardInput.BaseStream, request.StandardInput);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await stdin.WaitAsync(cancellationToken).ConfigureAwait(false);
            var output = await stdout.WaitAsync(cancellationToken).ConfigureAwait(false);
            var error = await stderr.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new HookProcessResult(process.ExitCode, output, error, clock.Elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KillTree(process);
            throw;
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited (or gone while we looked): nothing left to kill under it.
        }
    }

    private static async Task WriteAndCloseAsync(Stream stdin, string text)
    {
        try
        {
            await stdin.WriteAsync(Utf8.GetBytes(text)).ConfigureAwait(false);
            await stdin.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The hook exited or closed stdin without reading it all: that is its right.
        }
        finally
        {
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
                // Broken pipe on the final flush; see above.
            }
        }
    }

    private static async Task<string> ReadCappedAsync(Stream stream)
    {
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var room = MaxCapturedBytes - (int)kept.Length;
            if (room > 0) kept.Write(buffer, 0, Math.Min(room, read));
        }
        return Utf8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }
}
