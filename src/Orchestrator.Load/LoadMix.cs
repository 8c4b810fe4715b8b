using System.Globalization;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Load;

/// <summary>
/// What share of an agent's calls is of each kind (<c>--mix allow:ask:deny:exec</c>): decide-only calls of the
/// <see cref="CallMix"/>'s allow and deny classes, asked calls that wait for an approver, and calls run in the sandbox
/// (intent execute, read-only allowed Bash commands). Each call's kind is drawn from the weights by a hash of (agent, call number): the same run twice submits
/// the same calls, and agents are not in step.
/// </summary>
public sealed record LoadMix(double Allow, double Ask, double Deny, double Exec)
{
    public static readonly LoadMix Default = new(60, 20, 20, 0);

    public enum Kind { Allow, Ask, Deny, Exec }

    public double Total => Allow + Ask + Deny + Exec;

    /// <summary>Parses <c>allow:ask:deny:exec</c> (four non-negative numbers, not all zero); the error names the problem.</summary>
    public static (LoadMix? Mix, string? Error) Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 4)
            return (null, $"--mix must be four weights allow:ask:deny:exec (e.g. 60:20:20:0), not '{text}'");
        var weights = new double[4];
        for (var i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i]) || !double.IsFinite(weights[i]) || weights[i] < 0)
                return (null, $"--mix weight '{parts[i]}' is not a non-negative number (allow:ask:deny:exec, e.g. 60:20:20:0)");
        var mix = new LoadMix(weights[0], weights[1], weights[2], weights[3]);
        return mix.Total > 0 ? (mix, null) : (null, "--mix weights are all zero; at least one kind of call is needed");
    }

    public Kind KindOf(int agent, long n)
    {
        var x = Unit(agent, n) * Total;
        if ((x -= Allow) < 0) return Kind.Allow;
        if ((x -= Ask) < 0) return Kind.Ask;
        if ((x -= Deny) < 0) return Kind.Deny;
        return Exec > 0 ? Kind.Exec : Deny > 0 ? Kind.Deny : Ask > 0 ? Kind.Ask : Kind.Allow;
    }

    /// <summary>
    /// The <paramref name="n"/>-th call of <paramref name="agent"/> in <paramref name="session"/>, and its intent: allow
    /// and deny calls are decided only; ask calls are to run (<see cref="CallMix.AskToRun"/>, so they wait for an
    /// approver) and exec calls run read-only allowed commands.
    /// </summary>
    public (ToolCall Call, CallIntent Intent, Kind Kind) Call(CallMix calls, int agent, long n, AgentId agentId, SessionId session, string callId)
    {
        var kind = KindOf(agent, n);
        var templates = kind switch
        {
            Kind.Allow => calls.Of(CallMix.Expected.Allow),
            Kind.Ask => [CallMix.AskToRun],
            Kind.Deny => calls.Of(CallMix.Expected.Deny),
            _ => calls.Of(CallMix.Expected.Allow, harmlessOnly: true),
        };
        var template = templates[(int)((n + agent) % templates.Length)];
        return (calls.CallOf(template, agentId, session, callId), kind is Kind.Ask or Kind.Exec ? CallIntent.Execute : CallIntent.DecideOnly, kind);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Allow:0.##}:{Ask:0.##}:{Deny:0.##}:{Exec:0.##}");

    /// <summary>A uniform number in [0, 1) from (agent, n): splitmix64.</summary>
    private static double Unit(int agent, long n)
    {
        var z = unchecked(((ulong)(uint)agent << 40) ^ (ulong)n) + 0x9E3779B97F4A7C15UL;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
