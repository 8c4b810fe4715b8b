using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary><c>--scope</c> keeps abstract unix sockets and signals inside the sandbox's Landlock domain.</summary>
[Collection(HelperCollection.Name)]
public sealed class LandlockScopeTests(HelperBinary binary)
{
    private const string ConnectAbstract = """
        import socket, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect("\0" + sys.argv[1])
            print("connected")
        except OSError as e:
            print("errno", e.errno)
        """;

    private const string Signal = """
        import os, sys
        try:
            os.kill(int(sys.argv[1]), 0)
            print("signalled")
        except OSError as e:
            print("errno", e.errno)
        """;

    private readonly SandboxHelperRunner _helper = new(binary);

    [Theory]
    [InlineData(false, "connected\n")]
    [InlineData(true, "errno 1\n")]
    public void Abstract_unix_sockets_outside_the_domain_are_reachable_only_without_scope(bool scope, string expected)
    {
        var name = "orchestrator-helper-test-" + Guid.NewGuid().ToString("N");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        listener.Listen(1);

        var result = _helper.RunPython(Options(scope), ConnectAbstract, name);

        Assert.Equal(expected, result.StandardOutput);
    }

    [Theory]
    [InlineData(false, "signalled\n")]
    [InlineData(true, "errno 1\n")]
    public void Processes_outside_the_domain_can_be_signalled_only_without_scope(bool scope, string expected)
    {
        using var sibling = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "30") { RedirectStandardOutput = true })!;
        try
        {
            var result = _helper.RunPython(Options(scope), Signal, sibling.Id.ToString(CultureInfo.InvariantCulture));

            Assert.Equal(expected, result.StandardOutput);
        }
        finally
        {
            sibling.Kill();
            sibling.WaitForExit();
        }
    }

    private static string[] Options(bool scope) =>
        scope ? ["--landlock", "--ro", "/", "--scope"] : ["--landlock", "--ro", "/"];
}
