namespace Orchestrator.Core.Tests.Classification;

/// <summary>Splits a test command line into argv: spaces separate words, single quotes group them (no escapes).</summary>
internal static class Words
{
    public static string[] Split(string commandLine)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        var quoted = false;
        foreach (var c in commandLine)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                inWord = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words.ToArray();
    }
}
