using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class NetworkTests(HelperBinary binary) : IDisposable
{
    private const string TryNetwork = """
        import socket, sys
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect(("127.0.0.1", int(sys.argv[1])))
            print("tcp connected")
        except OSError as e:
            print("tcp errno", e.errno)
        try:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            print("udp created")
        except OSError as e:
            print("udp errno", e.errno)
        """;

    private readonly SandboxHelperRunner _helper = new(binary);
    private readonly TcpListener _listener = StartLoopbackListener();

    private string Port => ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Network_off_blocks_tcp_connect_and_udp_sockets()
    {
        var result = _helper.RunPython(["--net", "off", "--landlock", "--ro", "/", "--seccomp"], TryNetwork, Port);

        Assert.Equal("tcp errno 97\nudp errno 97\n", result.StandardOutput);
    }

    [Fact]
    public void Network_off_under_landlock_alone_denies_tcp_connect()
    {
        var result = _helper.RunPython(["--net", "off", "--landlock", "--ro", "/"], TryNetwork, Port);

        Assert.StartsWith("tcp errno 13\n", result.StandardOutput);
    }

    [Fact]
    public void Network_on_allows_tcp_connect_and_udp_sockets()
    {
        var result = _helper.RunPython(["--net", "on", "--landlock", "--ro", "/", "--seccomp"], TryNetwork, Port);

        Assert.Equal("tcp connected\nudp created\n", result.StandardOutput);
    }

    [Fact]
    public void Network_off_still_allows_unix_sockets()
    {
        var result = _helper.RunPython(
            ["--net", "off", "--seccomp"],
            "import socket; a, b = socket.socketpair(); print(a.family == socket.AF_UNIX)");

        Assert.Equal("True\n", result.StandardOutput);
    }

    public void Dispose() => _listener.Stop();

    private static TcpListener StartLoopbackListener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
