using System.Collections.Immutable;
using Orchestrator.Core.Calls;
using Orchestrator.Core.History.Events;

namespace Orchestrator.Actors.Journal;

/// <summary>
/// An approval's index row, written with its request: where the request lies, and — when its answer or timeout is in
/// the same atomic write (an automatic approver) — the event that settled it.
/// </summary>
public sealed record ApprovalRowOpened(ApprovalId Approval, CallId Call, string PersistenceId, long RequestedSequenceNr,
    long? ClosedSequenceNr = null, bool GrantDue = false);

/// <summary>
/// An approval answered or timed out at <paramref name="ClosedSequenceNr"/>; <paramref name="GrantDue"/> when the answer
/// approves for the session or always, so a grant must follow (until the broker's grant is written).
/// </summary>
public sealed record ApprovalRowClosed(ApprovalId Approval, string PersistenceId, long ClosedSequenceNr, bool GrantDue);

/// <summary>What a journal write changes in the approval index (<see cref="ApprovalIndexStore"/>): rows, then closes, then grants written.</summary>
public sealed record ApprovalIndexChanges(
    ImmutableArray<ApprovalRowOpened> Opens,
    ImmutableArray<ApprovalRowClosed> Closes,
    ImmutableArray<ApprovalId> GrantsWritten)
{
    public static readonly ApprovalIndexChanges None = new([], [], []);

    public bool IsEmpty => Opens.IsEmpty && Closes.IsEmpty && GrantsWritten.IsEmpty;

    public static ApprovalIndexChanges Concat(IEnumerable<ApprovalIndexChanges> changes)
    {
        var list = changes.Where(c => !c.IsEmpty).ToList();
        return list.Count switch
        {
            0 => None,
            1 => list[0],
            _ => new([.. list.SelectMany(c => c.Opens)], [.. list.SelectMany(c => c.Closes)], [.. list.SelectMany(c => c.GrantsWritten)]),
        };
    }

    /// <summary>Collects one write's approval events in order, folding a close into a row opened in the same write.</summary>
    internal sealed class Builder
    {
        private List<ApprovalRowOpened>? _opens;
        private Dictionary<(ApprovalId, string), int>? _openAt;
        private List<ApprovalRowClosed>? _closes;
        private List<ApprovalId>? _grants;

        public void Add(string persistenceId, long sequenceNr, object evt, bool session)
        {
            switch (evt)
            {
                case ApprovalRequested r when session:
                    (_openAt ??= []).TryAdd((r.ApprovalId, persistenceId), (_opens ??= []).Count);
                    _opens.Add(new ApprovalRowOpened(r.ApprovalId, r.CallId, persistenceId, sequenceNr));
                    break;
                case ApprovalAnswered a when session:
                    Close(a.ApprovalId, persistenceId, sequenceNr, a.Approved && a.Scope != GrantScope.Once);
                    break;
                case ApprovalTimedOut t when session:
                    Close(t.ApprovalId, persistenceId, sequenceNr, grantDue: false);
                    break;
                case GrantAdded { FromApproval: { } approval } when !session:
                    (_grants ??= []).Add(approval);
                    break;
            }
        }

        private void Close(ApprovalId approval, string persistenceId, long sequenceNr, bool grantDue)
        {
            if (_openAt?.TryGetValue((approval, persistenceId), out var index) == true)
                _opens![index] = _opens[index] with { ClosedSequenceNr = sequenceNr, GrantDue = grantDue };
            else (_closes ??= []).Add(new ApprovalRowClosed(approval, persistenceId, sequenceNr, grantDue));
        }

        public ApprovalIndexChanges Build() => _opens is null && _closes is null && _grants is null
            ? None
            : new([.. _opens ?? []], [.. _closes ?? []], [.. _grants ?? []]);
    }
}
