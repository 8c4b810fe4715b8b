using System.Text.Json;
using Orchestrator.Cli.Commands.LoadTest;
using Orchestrator.Load;

namespace Orchestrator.Cli.Tests.LoadTest;

/// <summary>The load test's report says the offered and the achieved rate, and what its latency is measured from.</summary>
public sealed class LoadTestReportTests
{
    private static async Task<LoadTestReport> ReportOf(double thinkMs, Func<long, TimeSpan> latency)
    {
        var settings = new LoadTestSettings(1, 400, null, LoadMix.Default, new ApproverSpec(ApproverSpec.Kind.Auto), "http://test", false, 1, thinkMs,
            ReportFormat.Json, 300, null);
        var time = new SimulatedTime();
        var tally = new LoadTally();
        var elapsed = await LoadDriver.RunAsync(settings.Plan with { Seed = 3 }, tally, (_, n, _) =>
        {
            time.Advance(latency(n));
            return Task.FromResult(CallResult.Answered("allow → decided-only"));
        }, time: time);
        using var http = new HttpClient();
        return LoadTestReport.From("http://test", settings, tally, elapsed, new LoadTestApprover(http, settings.Approver, "x"),
            new LoadTestJournalCheck("api", null, 400, 400, 0, 0, 0, null));
    }

    [Fact]
    public async Task With_think_time_the_json_has_the_offered_and_achieved_rates_and_both_latencies()
    {
        var report = await ReportOf(10, n => TimeSpan.FromMilliseconds(n % 20 == 19 ? 100 : 2));
        var json = JsonDocument.Parse(report.Json()).RootElement;

        Assert.Equal(400, json.GetProperty("calls").GetInt64());
        Assert.Equal(0, json.GetProperty("errors").GetInt64());
        Assert.Equal(100, json.GetProperty("offeredPerSecond").GetDouble());
        var achieved = json.GetProperty("achievedPerSecond").GetDouble();
        Assert.Equal(achieved, json.GetProperty("throughputPerSecond").GetDouble());
        Assert.InRange(achieved, 80, 110);
        Assert.Equal("intended-send", json.GetProperty("latencyFrom").GetString());
        Assert.True(json.GetProperty("lateSends").GetInt64() > 0);
        var service = json.GetProperty("service");
        Assert.InRange(service.GetProperty("p50Ms").GetDouble(), 1.99, 2.01);
        Assert.True(json.GetProperty("p99Ms").GetDouble() >= service.GetProperty("p99Ms").GetDouble());
        Assert.True(json.GetProperty("lateness").GetProperty("maxMs").GetDouble() > 50);
        Assert.True(json.GetProperty("countsAddUp").GetBoolean());
    }

    [Fact]
    public async Task Back_to_back_the_json_offers_no_rate_and_measures_from_the_send()
    {
        var report = await ReportOf(0, _ => TimeSpan.FromMilliseconds(4));
        var json = JsonDocument.Parse(report.Json()).RootElement;

        Assert.Equal(JsonValueKind.Null, json.GetProperty("offeredPerSecond").ValueKind);
        Assert.Equal("send", json.GetProperty("latencyFrom").GetString());
        Assert.Equal(250, json.GetProperty("throughputPerSecond").GetDouble());
        Assert.Equal(0, json.GetProperty("lateSends").GetInt64());
        Assert.Equal(json.GetProperty("p99Ms").GetDouble(), json.GetProperty("service").GetProperty("p99Ms").GetDouble());
    }

    [Fact]
    public async Task The_markdown_and_text_reports_say_offered_achieved_and_what_latency_is_from()
    {
        var scheduled = await ReportOf(10, _ => TimeSpan.FromMilliseconds(2));
        var markdown = scheduled.Markdown();
        Assert.Contains("| offered/s | calls/s | late sends |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 100 |", markdown, StringComparison.Ordinal);
        Assert.Contains("latency from each call's intended send time", markdown, StringComparison.Ordinal);
        Assert.Contains("(offered 100.0)", scheduled.Text(), StringComparison.Ordinal);

        var backToBack = await ReportOf(0, _ => TimeSpan.FromMilliseconds(2));
        Assert.Contains("| back-to-back |", backToBack.Markdown(), StringComparison.Ordinal);
        Assert.Contains("latency from each call's send (back-to-back agents", backToBack.Text(), StringComparison.Ordinal);
    }
}
