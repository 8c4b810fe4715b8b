using Orchestrator.Cli.Commands.LoadTest;
using Orchestrator.Load;

namespace Orchestrator.Cli.Tests;

/// <summary><c>orchestrator loadtest</c>'s options: each bad one is refused with a line naming it (exit 2), before any load.</summary>
public sealed class LoadTestOptionsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--agents 0 --calls 5 --embedded", "--agents must be from 1")]
    [InlineData("--agents 2 --embedded", "give exactly one of --calls M")]
    [InlineData("--agents 2 --calls 5 --duration 3 --embedded", "give exactly one of --calls M")]
    [InlineData("--agents 2 --calls 0 --embedded", "--calls must be at least 1")]
    [InlineData("--agents 2 --duration -1 --embedded", "--duration must be a number of seconds above 0")]
    [InlineData("--agents 2 --calls 5 --mix 1:2:3 --embedded", "--mix must be four weights")]
    [InlineData("--agents 2 --calls 5 --mix 1:x:3:0 --embedded", "--mix weight 'x'")]
    [InlineData("--agents 2 --calls 5 --mix 0:0:0:0 --embedded", "--mix weights are all zero")]
    [InlineData("--agents 2 --calls 5 --approver sometimes --embedded", "--approver must be auto, delay:MS or operator-bot:P")]
    [InlineData("--agents 2 --calls 5 --approver operator-bot:1.5 --embedded", "operator-bot:P needs the probability")]
    [InlineData("--agents 2 --calls 5 --approver delay:-3 --embedded", "delay:MS needs milliseconds")]
    [InlineData("--agents 2 --calls 5 --target http://127.0.0.1:1 --embedded", "--target URL and --embedded exclude each other")]
    [InlineData("--agents 2 --calls 5 --target ftp://x", "--target must be an http(s) URL")]
    [InlineData("--agents 2 --calls 5 --workspaces 0 --embedded", "--workspaces must be from 1")]
    [InlineData("--agents 2 --calls 5 --think-ms -1 --embedded", "--think-ms must be a non-negative")]
    [InlineData("--agents 2 --calls 5 --json --md --embedded", "--json and --md exclude each other")]
    [InlineData("--agents 2 --calls 5 --wait 301 --embedded", "--wait must be seconds above 0, at most 300")]
    public void A_bad_option_is_refused_with_a_line_naming_it(string args, string message)
    {
        var result = _cli.Run(["loadtest", .. args.Split(' ')]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Without_a_target_or_a_server_on_the_data_directory_it_says_how_to_name_one()
    {
        var data = Path.Combine(_cli.Root, "no-server");
        var result = _cli.Run(["loadtest", "--agents", "2", "--calls", "5", "--data", data]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"no server holds the data directory {data}", result.Stderr);
        Assert.Contains("--embedded", result.Stderr);
    }

    [Fact]
    public void Good_options_make_the_plan_they_say()
    {
        var (settings, error) = LoadTestSettings.Create(7, null, 2.5, "1:2:3:4", "operator-bot:0.25", null, true, 3, 10, json: false, markdown: true, 30, null);

        Assert.Null(error);
        Assert.Equal(new LoadPlan(7, null, TimeSpan.FromSeconds(2.5), 10), settings!.Plan);
        Assert.Equal(new LoadMix(1, 2, 3, 4), settings.Mix);
        Assert.Equal(new ApproverSpec(ApproverSpec.Kind.OperatorBot, ApproveProbability: 0.25), settings.Approver);
        Assert.Equal(ReportFormat.Markdown, settings.Format);
    }

    [Theory]
    [InlineData("60:20:20:0")]
    [InlineData("1:1:1:1")]
    [InlineData("0:0:0:5")]
    [InlineData("0:3:1:0")]
    public void Each_kind_of_call_comes_in_the_share_its_weight_gives(string weights)
    {
        var mix = LoadMix.Parse(weights).Mix!;
        const int agents = 50, perAgent = 400;
        var counts = Enumerable.Range(0, agents).SelectMany(a => Enumerable.Range(0, perAgent).Select(n => mix.KindOf(a, n)))
            .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        double[] shares = [mix.Allow, mix.Ask, mix.Deny, mix.Exec];
        foreach (var kind in Enum.GetValues<LoadMix.Kind>())
        {
            var expected = shares[(int)kind] / mix.Total;
            var got = (double)counts.GetValueOrDefault(kind) / (agents * perAgent);
            if (expected == 0) Assert.Equal(0, counts.GetValueOrDefault(kind));
            else Assert.InRange(got, expected - 0.02, expected + 0.02);
        }
    }
}
