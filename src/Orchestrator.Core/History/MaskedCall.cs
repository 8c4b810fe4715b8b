using Orchestrator.Core.Calls;

namespace Orchestrator.Core.History;

public sealed record MaskedCall(ToolCall Call, int Count);
