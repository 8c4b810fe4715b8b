namespace Orchestrator.Core.Shell;

/// <summary>
/// Word builders reused across parses on one thread. Words nest (a word inside <c>$( )</c> inside a word,
/// possibly in a sub-parser for backticks), so builders are handed out as a stack.
/// </summary>
internal sealed class WordBuilderStack
{
    [ThreadStatic] private static WordBuilderStack? t_current;

    private readonly List<WordBuilder> _builders = [];
    private int _depth;

    public static WordBuilderStack ForCurrentThread => t_current ??= new WordBuilderStack();

    /// <summary>Forgets builders left rented by an earlier parse on this thread that was abandoned by an exception.</summary>
    public void Clear() => _depth = 0;

    public WordBuilder Rent()
    {
        if (_depth == _builders.Count) _builders.Add(new WordBuilder());
        var builder = _builders[_depth++];
        builder.Reset();
        return builder;
    }

    public void Return() => _depth--;
}
