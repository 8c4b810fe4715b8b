using System.Globalization;
using Orchestrator.Load;
using Spectre.Console;

namespace Orchestrator.Cli.Commands.LoadTest;

/// <summary>
/// The live display of a run on standard error: a Spectre.Console progress bar with the running figures when standard
/// error is a terminal, else one plain line a second (logs, CI).
/// </summary>
internal static class LoadTestProgress
{
    public static Task FollowAsync(LoadTestSettings settings, LoadTally tally, LoadTestApprover approver, Task run) =>
        Console.IsErrorRedirected ? PlainAsync(tally, approver, run) : BarAsync(settings, tally, approver, run);

    private static async Task PlainAsync(LoadTally tally, LoadTestApprover approver, Task run)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))) != run)
            Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s] {Figures(tally, approver, clock.Elapsed)}");
    }

    private static async Task BarAsync(LoadTestSettings settings, LoadTally tally, LoadTestApprover approver, Task run)
    {
        // Straight to the terminal: the escaping writer installed on Console.Error would show the bar's control sequences.
        var terminal = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(terminal) });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: settings.Calls is { } calls ? calls : settings.DurationSeconds!.Value);
                while (true)
                {
                    var done = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(250))) == run;
                    task.Value = settings.Calls is null ? Math.Min(clock.Elapsed.TotalSeconds, task.MaxValue) : tally.Answered + tally.Failed;
                    task.Description = Markup.Escape(Figures(tally, approver, clock.Elapsed));
                    if (done)
                    {
                        task.Value = task.MaxValue;
                        return;
                    }
                }
            });
    }

    private static string Figures(LoadTally tally, LoadTestApprover approver, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{tally.Answered:N0} answered ({tally.Answered / Math.Max(elapsed.TotalSeconds, 1e-3):N0}/s), p99 {LiveP99Ms(tally):F1} ms, " +
        $"{tally.Failed:N0} errors, {tally.Throttled:N0} × 429, {approver.Answered:N0} approvals");

    /// <summary>The p99 so far; read while agents record, a percentile can fall between counts (then 0 for this tick).</summary>
    private static double LiveP99Ms(LoadTally tally)
    {
        try { return tally.Latency.TotalCount == 0 ? 0 : tally.Latency.GetValueAtPercentile(99) / 1000.0; }
        catch (ArgumentOutOfRangeException) { return 0; }
    }
}
