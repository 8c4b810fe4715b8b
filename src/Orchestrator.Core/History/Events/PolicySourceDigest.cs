using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

public sealed record PolicySourceDigest(SettingsLayer Layer, string Path, string Digest);
