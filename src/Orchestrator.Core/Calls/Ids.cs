namespace Orchestrator.Core.Calls;

public readonly record struct CallId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct AgentId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct SessionId(string Value)
{
    public override string ToString() => Value;
}
