using System.Text.Json;
using Akka.Actor;
using Orchestrator.Actors.Pipeline;
using Orchestrator.Core.Approval;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;
using Orchestrator.Core.Lifecycle;
using Orchestrator.Core.Storage;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>DATA/runs/</c>: one file for each call an in-process <c>orchestrator run</c> has submitted and not yet seen end.
/// Only that run answers its call's approval (at its terminal, or <c>--yes</c>), so a run that is killed while it
/// waits leaves the approval with nobody to answer it — and a server started later on the data directory would let an
/// operator approve a command whose requester is gone. Whoever next holds the data directory (a run or <c>serve</c>;
/// its lock proves the old run has ended) settles each file left behind: an approval still pending is denied, recorded
/// with who asked and that it ended before an answer (answered by <see cref="AnsweredBy"/>), so a dead run's command
/// never runs later.
/// </summary>
internal static class RunLeases
{
    public const string Folder = "runs";

    /// <summary>Who the record says answered an approval whose run had ended.</summary>
    public const string AnsweredBy = "orchestrator";

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DecisionWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DecisionPoll = TimeSpan.FromMilliseconds(100);

    private sealed record Lease(string CallId, string SessionId, int ProcessId, DateTimeOffset StartedAt);

    /// <summary>Records that this process waits on <paramref name="call"/>; dispose the result once the call has ended.</summary>
    public static IDisposable Take(string dataDirectory, ToolCall call)
    {
        var folder = Path.Combine(dataDirectory, Folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, call.Id.Value + ".json");
        PrivateFile.Write(path, JsonSerializer.Serialize(new Lease(call.Id.Value, call.Session.Value, Environment.ProcessId, DateTimeOffset.UtcNow), Json));
        return new Release(path);
    }

    /// <summary>
    /// Settles the files earlier runs left in <paramref name="dataDirectory"/> (call only while holding its lock, with
    /// the pipeline on its journal started): each pending approval is denied; a file whose call is decided or unknown
    /// is removed; one whose call is still being decided stays for the next start. Returns one line per denial.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SettleAsync(string dataDirectory, IActorRef sessions, CancellationToken ct)
    {
        var folder = Path.Combine(dataDirectory, Folder);
        if (!Directory.Exists(folder)) return [];
        var settled = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.json"))
        {
            if (Read(path) is not { } lease)
            {
                File.Delete(path);
                continue;
            }
            var session = new SessionId(lease.SessionId);
            var callId = new CallId(lease.CallId);
            var state = await DecidedStateAsync(sessions, session, callId, ct).ConfigureAwait(false);
            if (state is { Status: CallStatus.New or CallStatus.Received }) continue;
            if (state?.PendingApproval is { } pending)
            {
                var reason = $"the orchestrator run that asked (pid {lease.ProcessId}, started {lease.StartedAt:u}) ended before it was answered";
                var answer = new ApprovalAnswer(pending.ApprovalId, Approved: false, GrantScope.Once, reason, AnsweredBy);
                var reply = await sessions.Ask<object>(new AnswerApproval(session, callId, answer), AskTimeout, ct).ConfigureAwait(false);
                if (reply is ApprovalAnswerAccepted) settled.Add($"denied the pending approval of call {callId}: {reason}");
            }
            File.Delete(path);
        }
        return settled;
    }

    /// <summary>The call's state once its decision is in (recovery re-decides a call it finds undecided), or null when unknown.</summary>
    private static async Task<CallState?> DecidedStateAsync(IActorRef sessions, SessionId session, CallId callId, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + DecisionWait;
        while (true)
        {
            var reply = await sessions.Ask<object>(new GetCall(session, callId), AskTimeout, ct).ConfigureAwait(false);
            if (reply is not CallSnapshot { State: var state }) return null;
            if (state.Status is not (CallStatus.New or CallStatus.Received) || DateTimeOffset.UtcNow >= until) return state;
            await Task.Delay(DecisionPoll, ct).ConfigureAwait(false);
        }
    }

    private static Lease? Read(string path)
    {
        try
        {
            var lease = JsonSerializer.Deserialize<Lease>(File.ReadAllText(path), Json);
            return lease is not null && IdSyntax.IsValid(lease.CallId) && IdSyntax.IsValid(lease.SessionId) ? lease : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private sealed class Release(string path) : IDisposable
    {
        public void Dispose()
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
