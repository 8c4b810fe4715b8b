namespace Orchestrator.Core.Policy.Codex;

/// <summary>An argument value as written in a <c>.rules</c> file, before its meaning is checked.</summary>
internal abstract record CodexValue(SourceLocation Location)
{
    /// <summary>How the value is named in "found ..." messages.</summary>
    public abstract string Describe();
}

/// <summary>A string literal, already unescaped.</summary>
internal sealed record CodexStringValue(string Value, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => $"string {CodexQuoting.Quote(Value)}";
}

/// <summary>A list literal <c>[a, b, ...]</c>.</summary>
internal sealed record CodexListValue(IReadOnlyList<CodexValue> Items, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => "a list";
}

/// <summary>Any other expression the subset can tokenize (a number or a name such as <c>True</c>); never valid where a string or list is needed.</summary>
internal sealed record CodexOtherValue(string Description, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => Description;
}
