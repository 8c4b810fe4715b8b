using System.Globalization;
using Orchestrator.Load;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>
/// Who answers the run's approvals, through the approvals API as an operator would (only approvals of this run's calls):
/// <c>auto</c> approves each as soon as it is listed; <c>delay:MS</c> approves each MS milliseconds after it was first
/// listed; <c>operator-bot:P</c> is a person at the console — looks at the list every 250 ms, answers one approval at a
/// time in listing order after reading it for 50–500 ms (uniform), approving with probability P (0–1), else denying.
/// </summary>
public sealed record ApproverSpec(ApproverSpec.Kind Mode, double DelayMs = 0, double ApproveProbability = 1)
{
    public enum Kind { Auto, Delay, OperatorBot }

    public static (ApproverSpec? Spec, string? Error) Parse(string text)
    {
        if (text == "auto") return (new ApproverSpec(Kind.Auto), null);
        if (text.StartsWith("delay:", StringComparison.Ordinal))
            return double.TryParse(text["delay:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms) && ms is >= 0 and <= 3_600_000
                ? (new ApproverSpec(Kind.Delay, DelayMs: ms), null)
                : (null, $"--approver delay:MS needs milliseconds from 0 to 3600000, not '{text}'");
        if (text.StartsWith("operator-bot:", StringComparison.Ordinal))
            return double.TryParse(text["operator-bot:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                ? (new ApproverSpec(Kind.OperatorBot, ApproveProbability: p), null)
                : (null, $"--approver operator-bot:P needs the probability of approving, from 0 to 1, not '{text}'");
        return (null, $"--approver must be auto, delay:MS or operator-bot:P, not '{text}'");
    }

    public override string ToString() => Mode switch
    {
        Kind.Auto => "auto",
        Kind.Delay => string.Create(CultureInfo.InvariantCulture, $"delay:{DelayMs:0.###}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"operator-bot:{ApproveProbability:0.###}"),
    };
}

public enum ReportFormat { Text, Json, Markdown }

/// <summary>The options of <c>orchestrator loadtest</c>, checked: <see cref="Create"/> names the first problem.</summary>
public sealed record LoadTestSettings(int Agents, long? Calls, double? DurationSeconds, LoadMix Mix, ApproverSpec Approver,
    string? Target, bool Embedded, int Workspaces, double ThinkMs, ReportFormat Format, double WaitSeconds, string? Workspace)
{
    public const int MaxAgents = 100_000;

    public LoadPlan Plan => new(Agents, Calls, DurationSeconds is { } s ? TimeSpan.FromSeconds(s) : null, ThinkMs);

    public static (LoadTestSettings? Settings, string? Error) Create(int agents, long? calls, double? duration, string mix, string approver,
        string? target, bool embedded, int workspaces, double thinkMs, bool json, bool markdown, double wait, string? workspace)
    {
        if (agents is < 1 or > MaxAgents) return Fail($"--agents must be from 1 to {MaxAgents}, not {agents}");
        if (calls is null == duration is null) return Fail("give exactly one of --calls M (calls in all) or --duration S (seconds)");
        if (calls is < 1) return Fail($"--calls must be at least 1, not {calls}");
        if (duration is { } d && (!double.IsFinite(d) || d <= 0 || d > 7 * 24 * 3600)) return Fail($"--duration must be a number of seconds above 0 (at most a week), not {d}");
        var (parsedMix, mixError) = LoadMix.Parse(mix);
        if (mixError is not null) return Fail(mixError);
        var (parsedApprover, approverError) = ApproverSpec.Parse(approver);
        if (approverError is not null) return Fail(approverError);
        if (target is not null && embedded) return Fail("--target URL and --embedded exclude each other: load a running server, or one started in this process");
        if (target is not null && !ServerClient.TryValidateUrl(target, out _)) return Fail($"--target must be an http(s) URL, not '{target}'");
        if (workspaces is < 1 or > 10_000) return Fail($"--workspaces must be from 1 to 10000, not {workspaces}");
        if (!double.IsFinite(thinkMs) || thinkMs < 0) return Fail($"--think-ms must be a non-negative number of milliseconds, not {thinkMs}");
        if (json && markdown) return Fail("--json and --md exclude each other: one report format");
        if (!double.IsFinite(wait) || wait is <= 0 or > Core.Calls.WaitDuration.MaxSeconds)
            return Fail($"--wait must be seconds above 0, at most {Core.Calls.WaitDuration.MaxSeconds:0}, not {wait}");
        if (embedded && workspace is not null) return Fail("--workspace names the target server's workspace; --embedded makes its own");
        var format = json ? ReportFormat.Json : markdown ? ReportFormat.Markdown : ReportFormat.Text;
        return (new LoadTestSettings(agents, calls, duration, parsedMix!, parsedApprover!, target, embedded, workspaces, thinkMs, format, wait,
            workspace is null ? null : Path.GetFullPath(workspace)), null);

        static (LoadTestSettings?, string?) Fail(string error) => (null, error);
    }
}
