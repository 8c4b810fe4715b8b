using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Actors.Serialization;
using Orchestrator.Actors.Tests.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;

namespace Orchestrator.Actors.Tests.Snapshots;

/// <summary>What a snapshot spec does to a session (decide-only calls, so a restart records nothing new), and what it reads back.</summary>
public enum SessionAct
{
    Allow,
    Deny,
    Ask,
    Approve,
    Refuse,
}

public static class SessionHistory
{
    /// <summary>
    /// Plays <paramref name="acts"/> on <paramref name="session"/>: submissions run concurrently (so writes of one
    /// session overlap), an answer first waits for them and answers the oldest pending approval. Returns the call ids.
    /// </summary>
    public static async Task<ImmutableArray<CallId>> PlayAsync(IActorRef sessions, SessionId session, IEnumerable<SessionAct> acts, TimeSpan patience)
    {
        var calls = new List<CallId>();
        var submitted = new List<Task<CallAccepted>>();
        var pending = new Queue<(CallId Call, ApprovalId Approval)>();
        foreach (var act in acts)
        {
            if (act is SessionAct.Allow or SessionAct.Deny or SessionAct.Ask)
            {
                var call = PipelinePolicy.Bash(session.Value, act switch { SessionAct.Allow => "ls", SessionAct.Deny => "curl x", _ => "git push" });
                calls.Add(call.Id);
                submitted.Add(sessions.Ask<CallAccepted>(new SubmitCall(call, CallIntent.DecideOnly), patience));
                continue;
            }
            foreach (var accepted in await Task.WhenAll(submitted))
                if (accepted.State.PendingApproval is { } request) pending.Enqueue((accepted.CallId, request.ApprovalId));
            submitted.Clear();
            if (!pending.TryDequeue(out var open)) continue;
            var answer = new ApprovalAnswer(open.Approval, act == SessionAct.Approve, GrantScope.Once, "checked", "alice");
            await sessions.Ask<ApprovalAnswerAccepted>(new AnswerApproval(session, open.Call, answer), patience);
        }
        await Task.WhenAll(submitted);
        return [.. calls];
    }

    /// <summary>Everything a session answers about its calls and itself, one line each, to compare two recoveries.</summary>
    public static async Task<ImmutableArray<string>> ReadAsync(IActorRef sessions, SessionId session, IEnumerable<CallId> calls, TimeSpan patience)
    {
        var lines = new List<string>();
        foreach (var id in calls)
        {
            var snapshot = await sessions.Ask<CallSnapshot>(new GetCall(session, id), patience);
            lines.Add($"{Json(SnapshotCall.From(snapshot.State))} lost={snapshot.State.OriginalInputLost} output={Json(snapshot.Output)}");
        }
        var awake = await sessions.Ask<SessionAwake>(new WakeSession(session), patience);
        lines.Add($"calls={awake.Calls} open={awake.OpenCalls}");
        var stranger = PipelinePolicy.Bash(session.Value, "ls") with { Agent = new AgentId("agent-2") };
        lines.Add((await sessions.Ask<object>(new SubmitCall(stranger, CallIntent.DecideOnly), patience)).GetType().Name);
        return [.. lines];
    }

    private static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), EventJsonOptions.Default);
}
