using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Sandbox.Tests.Linux;

/// <summary>A TCP and a UDP listener on 127.0.0.1 with free ports, for the network tests.</summary>
public sealed class LoopbackListeners : IDisposable
{
    public LoopbackListeners()
    {
        Tcp = new TcpListener(IPAddress.Loopback, 0);
        Tcp.Start();
        Udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public TcpListener Tcp { get; }
    public UdpClient Udp { get; }
    public int TcpPort => ((IPEndPoint)Tcp.LocalEndpoint).Port;
    public int UdpPort => ((IPEndPoint)Udp.Client.LocalEndPoint!).Port;

    public void Dispose()
    {
        Tcp.Stop();
        Tcp.Dispose();
        Udp.Dispose();
    }
}
