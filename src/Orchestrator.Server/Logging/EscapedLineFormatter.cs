using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Orchestrator.Core.Text;

namespace Orchestrator.Server.Logging;

/// <summary>
/// The server's console log format: one line per entry (time, level, category, message, exception), no colour, and
/// every control, bidi or invisible character escaped (<see cref="DisplayText"/>), so a logged command or id can neither
/// forge another entry nor rewrite the operator's terminal.
/// </summary>
public sealed class EscapedLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orchestrator-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter) =>
        textWriter.Write(Format(DateTimeOffset.UtcNow, logEntry.LogLevel, logEntry.Category,
            logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception), logEntry.Exception));

    /// <summary>One entry as one line, ending in <c>\n</c>.</summary>
    public static string Format(DateTimeOffset at, LogLevel level, string category, string? message, Exception? exception)
    {
        var text = $"{category}: {message}";
        if (exception is not null) text += $" | {exception}";
        return $"{at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {Level(level)} {DisplayText.Escape(text)}\n";
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}

public static class EscapedLineLogging
{
    /// <summary>Console logging with <see cref="EscapedLineFormatter"/> only (the default providers are removed).</summary>
    public static ILoggingBuilder AddEscapedLineConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.FormatterName = EscapedLineFormatter.FormatterName);
        logging.AddConsoleFormatter<EscapedLineFormatter, ConsoleFormatterOptions>();
        return logging;
    }
}
