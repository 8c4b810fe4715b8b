using System.CommandLine;
using Orchestrator.Sandbox.Tools;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// The bounds of structured calls (<see cref="ToolLimits"/>) as <c>serve</c> options: each absent option keeps its
/// default, each given one is checked against its range (<see cref="Build"/>).
/// </summary>
internal static class ToolLimitOptions
{
    private static readonly ToolLimits Defaults = ToolLimits.Default;
    private const long MaxBytes = 1024L * 1024 * 1024;

    private static readonly Option<double?> Timeout = new("--tool-timeout")
    { Description = $"Seconds a Read, Write, Edit, Glob, Grep or WebFetch call may take, a WebFetch's whole download included (default {Defaults.Timeout.TotalSeconds:0})" };

    private static readonly Option<long?> ReadBytes = new("--read-max-bytes")
    { Description = $"Largest file Read returns at once and Edit loads (default {Defaults.MaxFileBytes})" };

    private static readonly Option<long?> WriteBytes = new("--write-max-bytes")
    { Description = $"Largest content a Write may carry (default {Defaults.MaxWriteBytes})" };

    private static readonly Option<int?> GlobResults = new("--glob-max-results")
    { Description = $"Paths a Glob lists; the rest are counted (default {Defaults.MaxGlobResults})" };

    private static readonly Option<int?> GrepLines = new("--grep-max-lines")
    { Description = $"Lines a Grep returns at most (default {Defaults.MaxGrepLines})" };

    private static readonly Option<long?> FetchBytes = new("--fetch-max-bytes")
    { Description = $"Bytes of a page WebFetch reads; the rest is cut and said (default {Defaults.MaxFetchBytes})" };

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[] { Timeout, ReadBytes, WriteBytes, GlobResults, GrepLines, FetchBytes }) command.Options.Add(option);
    }

    /// <summary>The limits the options ask for (null: none given, the defaults apply), or why they are refused.</summary>
    public static (ToolLimits? Limits, string? Problem) Build(ParseResult result)
    {
        var limits = Defaults;
        var given = false;
        string? problem = null;
        void Check<T>(Option<T?> option, T min, T max, Func<T, ToolLimits> apply) where T : struct, IComparable<T>
        {
            if (result.GetValue(option) is not { } value) return;
            given = true;
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0) problem ??= $"{option.Name} must be between {min} and {max}, not {value}";
            else limits = apply(value);
        }
        Check(Timeout, 1.0, 3600.0, v => limits with { Timeout = TimeSpan.FromSeconds(v) });
        Check(ReadBytes, 1L, MaxBytes, v => limits with { MaxFileBytes = v });
        Check(WriteBytes, 1L, MaxBytes, v => limits with { MaxWriteBytes = v });
        Check(GlobResults, 1, 1_000_000, v => limits with { MaxGlobResults = v });
        Check(GrepLines, 1, 1_000_000, v => limits with { MaxGrepLines = v });
        Check(FetchBytes, 1L, MaxBytes, v => limits with { MaxFetchBytes = v });
        return problem is not null ? (null, problem) : (given ? limits : null, null);
    }
}
