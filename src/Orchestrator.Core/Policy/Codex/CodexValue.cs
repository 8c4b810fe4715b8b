namespace Orchestrator.Core.Policy.Codex;

/// <summary>An argument value as written in a <c>.rules</c> file, before its meaning is checked.</summary>
internal abstract record CodexValue(SourceLocation Location)
{
    /// <summary>How the value is named in "found ..." messages.</summary>
    public abstract string Describe();

    /// <summary>The value's type as Starlark (and so Codex's messages) names it: string, list, int, float, bool, NoneType.</summary>
    public abstract string StarlarkType { get; }
}

/// <summary>A string literal, already unescaped.</summary>
internal sealed record CodexStringValue(string Value, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => $"string {CodexQuoting.Quote(Value)}";

    public override string StarlarkType => "string";
}

/// <summary>A list literal <c>[a, b, ...]</c>.</summary>
internal sealed record CodexListValue(IReadOnlyList<CodexValue> Items, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => "a list";

    public override string StarlarkType => "list";
}

/// <summary>Any other expression the subset can tokenize (a number or a name such as <c>True</c>); never valid where a string or list is needed.</summary>
internal sealed record CodexOtherValue(string Description, SourceLocation Location) : CodexValue(Location)
{
    public override string Describe() => Description;

    public override string StarlarkType => Description switch
    {
        _ when Description.StartsWith("number ", StringComparison.Ordinal) => Description.Contains('.') ? "float" : "int",
        _ when Description.StartsWith("boolean ", StringComparison.Ordinal) => "bool",
        "None" => "NoneType",
        _ => Description,
    };
}
