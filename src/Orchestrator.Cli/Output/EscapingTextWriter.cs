using System.Text;
using Orchestrator.Core.Text;

namespace Orchestrator.Cli.Output;

/// <summary>
/// A writer in front of the console for human-readable output: everything written passes through
/// <see cref="DisplayText"/>, so no control, bidi or invisible character from a command, a reason, an id or an error
/// reaches the terminal raw. Line breaks the program writes stay line breaks. In JSON mode the same characters become
/// <c>\uXXXX</c> escapes, so the output is still exactly the same JSON.
/// </summary>
internal sealed class EscapingTextWriter(TextWriter inner, bool json = false) : TextWriter
{
    private char? _pendingHighSurrogate;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value)
    {
        if (_pendingHighSurrogate is { } high)
        {
            _pendingHighSurrogate = null;
            Write(new string([high, value]));
            return;
        }
        if (char.IsHighSurrogate(value))
        {
            _pendingHighSurrogate = value;
            return;
        }
        Write(value.ToString());
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (_pendingHighSurrogate is { } high)
        {
            _pendingHighSurrogate = null;
            value = high + value;
        }
        if (char.IsHighSurrogate(value[^1]))
        {
            _pendingHighSurrogate = value[^1];
            value = value[..^1];
        }
        inner.Write(json ? DisplayText.EscapeJson(value) : DisplayText.Escape(value, keepLineBreaks: true));
    }

    public override void WriteLine() => WriteLine((string?)null);

    public override void WriteLine(string? value)
    {
        Write(value);
        FlushPendingSurrogate();
        inner.WriteLine();
    }

    public override void Flush()
    {
        FlushPendingSurrogate();
        inner.Flush();
    }

    private void FlushPendingSurrogate()
    {
        if (_pendingHighSurrogate is not { } high) return;
        _pendingHighSurrogate = null;
        inner.Write(json ? DisplayText.EscapeJson(high.ToString()) : DisplayText.Escape(high.ToString(), keepLineBreaks: true));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Puts escaping writers in front of the console: stdout in JSON mode when the command prints JSON, stderr (human
    /// messages) always in text mode. Output written to the raw streams (a command's own output in <c>run</c>) is untouched.
    /// </summary>
    public static void InstallOnConsole(bool jsonOutput)
    {
        Console.SetOut(new EscapingTextWriter(Console.Out, jsonOutput));
        Console.SetError(new EscapingTextWriter(Console.Error));
    }
}
