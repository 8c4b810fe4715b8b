namespace Orchestrator.Server.Security;

/// <summary>
/// DNS rebinding defence: a request must name this server by a loopback name (<c>127.0.0.1</c>, <c>localhost</c>,
/// <c>[::1]</c>) or a configured one (<c>serve --allowed-host</c>), with the port it arrived on. Anything else is 421.
/// </summary>
public static class HostCheck
{
    public static readonly IReadOnlyList<string> LoopbackNames = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>Null when <paramref name="host"/> (the Host header) is acceptable, else the reason.</summary>
    public static string? Problem(string? host, int localPort, IReadOnlyCollection<string> allowedHosts)
    {
        if (string.IsNullOrEmpty(host)) return "a Host header is required";
        string name;
        int port;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && colon > host.LastIndexOf(']'))
        {
            name = host[..colon];
            if (!int.TryParse(host.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port))
                return $"Host '{Printable(host)}' has no valid port";
        }
        else (name, port) = (host, 80);
        var known = LoopbackNames.Contains(name, StringComparer.OrdinalIgnoreCase) || allowedHosts.Contains(name, StringComparer.OrdinalIgnoreCase);
        if (!known) return $"Host '{Printable(host)}' is not this server's name (loopback names, or serve --allowed-host NAME)";
        return port == localPort ? null : $"Host '{Printable(host)}' names port {port}, but this server listens on {localPort}";
    }

    internal static string Printable(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) || c is '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069'
            ? $"\\u{(int)c:x4}" : c.ToString()));
}
