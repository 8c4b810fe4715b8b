namespace Orchestrator.Core.History;

/// <summary>Where a secret value sits in a text: what masking replaces with <c>***</c>.</summary>
public readonly record struct SecretSpan(int Start, int Length)
{
    public int End => Start + Length;
}
