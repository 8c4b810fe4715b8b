using System.Collections.Immutable;

namespace Orchestrator.Core.History.Events;

/// <summary>
/// How far the shadow policy (<c>serve --shadow-policy</c>) has judged the journal: every decision at or before
/// <see cref="Position"/> (the journal's global order) is judged and its disagreements are recorded before or with this
/// event; <see cref="Waiting"/> are the calls received by then whose decisions lie after it. A restart goes on from
/// here, so a decision recorded while the shadow was behind or down — or one whose receipt came before the restart — is
/// judged after it, and none is judged twice.
/// </summary>
[EventManifest("shadow-followed.v1")]
public sealed record ShadowFollowed(long Position, ImmutableArray<string> Waiting, DateTimeOffset At) : HistoryEvent;
