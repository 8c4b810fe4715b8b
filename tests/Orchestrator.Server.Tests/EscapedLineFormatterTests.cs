using Microsoft.Extensions.Logging;
using Orchestrator.Server.Logging;

namespace Orchestrator.Server.Tests;

public class EscapedLineFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_log_entry_is_one_line_without_colour_and_with_every_control_and_bidi_character_escaped()
    {
        var line = EscapedLineFormatter.Format(At, LogLevel.Warning, "Orchestrator.Ingress",
            "refused call touch src/x\r\u001b[31mls -la src\u202e\nforged: entry", new InvalidOperationException("bad\nthing"));

        Assert.EndsWith("\n", line);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u202e', line);
        Assert.StartsWith("2026-12-03T08:00:00.000Z warn Orchestrator.Ingress: refused call touch src/x\\x0d\\x1b[31mls -la src\\u202e\\x0aforged: entry | System.InvalidOperationException: bad\\x0athing", line);
    }
}
