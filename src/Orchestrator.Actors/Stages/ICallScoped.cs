using Orchestrator.Core.Calls;

namespace Orchestrator.Actors.Stages;

/// <summary>A stage request about one call: its answer — also a <see cref="StageRefused"/> — carries the call id back to the session.</summary>
public interface ICallScoped
{
    /// <summary>The call the request is about; null only for a malformed request.</summary>
    CallId? ScopedCallId { get; }
}
