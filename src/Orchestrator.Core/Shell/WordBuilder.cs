using System.Text;

namespace Orchestrator.Core.Shell;

/// <summary>Accumulates the parts of one word, merging adjacent literal text of the same quoting.</summary>
internal sealed class WordBuilder
{
    private readonly List<WordPart> _parts = new(4);
    private readonly StringBuilder _literal = new(32);
    private QuoteKind _quote;
    private bool _literalOpen;

    public void Reset()
    {
        _parts.Clear();
        _literal.Clear();
        _literalOpen = false;
    }

    public void Append(char c, QuoteKind quote)
    {
        Open(quote);
        _literal.Append(c);
    }

    public void Append(ReadOnlySpan<char> text, QuoteKind quote)
    {
        Open(quote);
        _literal.Append(text);
    }

    /// <summary>Starts a literal of this quoting even if it stays empty, so a lone <c>''</c> yields an empty word.</summary>
    public void Open(QuoteKind quote)
    {
        if (_literalOpen && _quote == quote) return;
        Flush();
        _quote = quote;
        _literalOpen = true;
    }

    public void Add(WordPart part)
    {
        Flush();
        _parts.Add(part);
    }

    public ShellWord Build(string raw)
    {
        if (_parts.Count == 0 && _literalOpen && _quote == QuoteKind.None && _literal.Equals(raw.AsSpan()))
            return new ShellWord(new WordPart[] { new LiteralPart(raw, QuoteKind.None) }, raw);
        Flush(keepEmpty: _parts.Count == 0);
        return new ShellWord(_parts.ToArray(), raw);
    }

    /// <summary>Closes the open literal; an empty one is kept only when it would otherwise leave the word with no parts.</summary>
    private void Flush(bool keepEmpty = false)
    {
        if (!_literalOpen) return;
        _literalOpen = false;
        if (_literal.Length == 0 && !keepEmpty) return;
        _parts.Add(new LiteralPart(_literal.ToString(), _quote));
        _literal.Clear();
    }
}
