using System.Diagnostics;
using System.Text;

namespace Orchestrator.Sandbox.Tools;

/// <summary>
/// Grep through ripgrep (<c>rg</c> on the PATH), run inside the Bash sandbox (<see cref="SearchConfinedAsync"/>): the arguments are built here, never taken from the call (the pattern
/// after <c>-e</c>, the path after <c>--</c>; no config file, no preprocessor, no symlinks followed), with the ignore
/// behaviour <see cref="SearchWalk"/> reproduces and the file type given as its globs. Bounded: the process is killed
/// after <c>timeout</c> or once it has printed <c>maxLines</c> lines.
/// </summary>
public static class RipgrepSearch
{
    public const string EngineName = "ripgrep";

    private static readonly Lazy<string?> Executable = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Join(d, "rg")).FirstOrDefault(File.Exists));

    /// <summary>The <c>rg</c> found on the PATH, or null when ripgrep is not installed.</summary>
    public static string? Installed => Executable.Value;

    public static IReadOnlyList<string> Arguments(GrepRequest request)
    {
        var args = new List<string>
        {
            "--no-config", "--no-heading", "--with-filename", "--null", "--line-number", "--color", "never", "--sort", "path",
            "--no-require-git", "--no-ignore-parent", "--no-ignore-global", "--no-ignore-exclude", "--no-messages",
        };
        if (request.IgnoreCase) args.Add("--ignore-case");
        if (request.Multiline) { args.Add("--multiline"); args.Add("--multiline-dotall"); }
        switch (request.Mode)
        {
            case GrepOutputMode.FilesWithMatches: args.Add("--files-with-matches"); break;
            case GrepOutputMode.Count: args.Add("--count"); break;
            default:
                if (request.Before > 0) { args.Add("--before-context"); args.Add(request.Before.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
                if (request.After > 0) { args.Add("--after-context"); args.Add(request.After.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
                break;
        }
        if (request.Glob is { } glob) { args.Add("--glob"); args.Add(glob); }
        if (request.Type is { } type)
        {
            foreach (var typeGlob in GrepTypes.GlobsOf(type)) { args.Add("--type-add"); args.Add("orchestrator:" + typeGlob); }
            args.Add("--type"); args.Add("orchestrator");
        }
        args.Add("--regexp"); args.Add(request.Pattern);
        args.Add("--"); args.Add(request.Path);
        return args;
    }

    /// <summary>Bytes of ripgrep's output kept when it runs confined (its output is read when it ends, not as it prints).</summary>
    public const int MaxConfinedOutputBytes = 16 * 1024 * 1024;

    /// <summary>
    /// ripgrep run inside <paramref name="confinement"/>'s sandbox (<see cref="RipgrepConfinement"/>): what the policy
    /// hides is covered before it starts, so it never reads a hidden file; its lines are then filtered and cut as
    /// <see cref="SearchAsync(GrepRequest, Func{string, bool}?, int, TimeSpan, CancellationToken)"/> does.
    /// </summary>
    public static async Task<GrepOutput> SearchConfinedAsync(GrepRequest request, Func<string, bool>? include, int maxLines, TimeSpan timeout,
        RipgrepConfinement confinement, CancellationToken cancellation)
    {
        if (Installed is not { } rg) return GrepOutput.Failed("ripgrep (rg) is not installed", EngineName);
        if (!File.Exists(request.Path) && !Directory.Exists(request.Path))
            return GrepOutput.Failed($"Grep path '{request.Path}' does not exist", EngineName);
        var command = new CommandRequest(rg, [.. Arguments(request)], WorkingDirectoryOf(request))
        {
            Timeout = timeout,
            Output = new OutputLimits(HeadBytes: MaxConfinedOutputBytes, TailBytes: 0),
        };
        CommandResult result;
        try { result = await confinement.Sandbox.RunAsync(command, confinement.Profile, cancellation).ConfigureAwait(false); }
        catch (SandboxUnavailableException e) { return GrepOutput.Failed($"ripgrep could not be sandboxed: {e.Message}", EngineName); }
        if (result.SandboxFailure is { } failure) return GrepOutput.Failed($"ripgrep could not be sandboxed: {failure}", EngineName);
        if (result.TimedOut) return GrepOutput.Failed($"ripgrep did not finish within {timeout.TotalSeconds:0.#} s; narrow the pattern or the path", EngineName);
        if (result.ExitCode == 2)
        {
            var message = result.Stderr.Text.Trim();
            return GrepOutput.Failed(GrepPattern.FromRipgrep(request, message) ?? $"ripgrep refused the search: {message}", EngineName);
        }
        var text = Encoding.UTF8.GetString(result.Stdout.Head);
        var separator = request.Mode == GrepOutputMode.FilesWithMatches ? '\0' : '\n';
        // Output past the kept bytes is dropped whole: the last entry may be cut, so it is not returned.
        if (result.Stdout.Truncated) text = text[..(text.LastIndexOf(separator) + 1)];
        else if (text.Length > 0 && text[^1] != separator) text += separator;
        var lines = new List<string>();
        foreach (var line in text.Split(separator, StringSplitOptions.None).SkipLast(1))
        {
            if (request.Mode == GrepOutputMode.FilesWithMatches) { if (line.Length > 0 && (include is null || include(line))) lines.Add(line); }
            else if (Printed(line, request, include) is { } printed) lines.Add(printed);
            if (lines.Count >= maxLines) break;
        }
        return new GrepOutput(CollapseSeparators(lines), null, EngineName);
    }

    /// <summary>Globs are relative to ripgrep's working directory: the searched directory, as for the .NET walk.</summary>
    private static string WorkingDirectoryOf(GrepRequest request) =>
        Directory.Exists(request.Path) ? request.Path : Path.GetDirectoryName(request.Path) ?? "/";

    /// <summary>ripgrep run directly, unconfined: only for comparing the engines in tests — executors search through
    /// <see cref="SearchConfinedAsync"/> or the .NET fallback.</summary>
    public static async Task<GrepOutput> SearchAsync(GrepRequest request, Func<string, bool>? include, int maxLines, TimeSpan timeout, CancellationToken cancellation)
    {
        if (Installed is not { } rg) return GrepOutput.Failed("ripgrep (rg) is not installed", EngineName);
        if (!File.Exists(request.Path) && !Directory.Exists(request.Path))
            return GrepOutput.Failed($"Grep path '{request.Path}' does not exist", EngineName);
        var start = new ProcessStartInfo(rg)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = WorkingDirectoryOf(request),
        };
        foreach (var argument in Arguments(request)) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("rg did not start");
        process.StandardInput.Close();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(timeout);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        var lines = new List<string>();
        var cut = false;
        try
        {
            if (request.Mode == GrepOutputMode.FilesWithMatches)
            {
                var all = await process.StandardOutput.ReadToEndAsync(bounded.Token).ConfigureAwait(false);
                foreach (var path in all.Split('\0', StringSplitOptions.RemoveEmptyEntries))
                    if (include is null || include(path)) lines.Add(path);
            }
            else
            {
                await foreach (var line in Lines(process.StandardOutput, bounded.Token).ConfigureAwait(false))
                {
                    if (Printed(line, request, include) is { } printed) lines.Add(printed);
                    if (lines.Count >= maxLines) { cut = true; break; }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            Kill(process);
            return GrepOutput.Failed($"ripgrep did not finish within {timeout.TotalSeconds:0.#} s; narrow the pattern or the path", EngineName);
        }
        finally
        {
            if (cut || cancellation.IsCancellationRequested) Kill(process);
        }
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (!cut && process.ExitCode == 2)
        {
            var message = (await stderr.ConfigureAwait(false)).Trim();
            return GrepOutput.Failed(GrepPattern.FromRipgrep(request, message) ?? $"ripgrep refused the search: {message}", EngineName);
        }
        return new GrepOutput(CollapseSeparators(lines), null, EngineName);
    }

    /// <summary><c>path\0N:text</c> (or <c>N-text</c>, or <c>N</c> for a count) back to ripgrep's plain format, or null when
    /// the path is filtered out.</summary>
    private static string? Printed(string line, GrepRequest request, Func<string, bool>? include)
    {
        var nul = line.IndexOf('\0');
        if (nul < 0) return line; // "--" between context groups
        var path = line[..nul];
        if (include is not null && !include(path)) return null;
        var rest = line.AsSpan(nul + 1);
        if (request.Mode == GrepOutputMode.Count) return $"{path}:{rest}";
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
        var separator = digits < rest.Length ? rest[digits] : ':';
        return request.LineNumbers
            ? string.Concat(path, separator.ToString(), rest)
            : string.Concat(path, separator.ToString(), rest[Math.Min(digits + 1, rest.Length)..]);
    }

    /// <summary>Lines ended by '\n' only: a '\r' before it belongs to the line, as ripgrep printed it.</summary>
    private static async IAsyncEnumerable<string> Lines(StreamReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellation).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                line.Append(buffer, start, i - start);
                yield return line.ToString();
                line.Clear();
                start = i + 1;
            }
            line.Append(buffer, start, read - start);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    /// <summary>Context separators left around filtered-out files: none first, last or twice in a row.</summary>
    private static List<string> CollapseSeparators(List<string> lines)
    {
        var kept = new List<string>(lines.Count);
        foreach (var line in lines)
        {
            if (line == "--" && (kept.Count == 0 || kept[^1] == "--")) continue;
            kept.Add(line);
        }
        if (kept.Count > 0 && kept[^1] == "--") kept.RemoveAt(kept.Count - 1);
        return kept;
    }

    private static void Kill(System.Diagnostics.Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
    }
}
