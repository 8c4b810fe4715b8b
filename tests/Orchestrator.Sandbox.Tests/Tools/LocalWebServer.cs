using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>An HttpListener on a free port of this machine, answering each path with a handler; stopped on dispose.</summary>
internal sealed class LocalWebServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, Action<HttpListenerResponse>> _routes = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LocalWebServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        _listener.Prefixes.Add($"http://+:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public int Requests { get; private set; }

    public string Url(string host, string path) => $"http://{host}:{Port}{path}";

    public void Text(string path, string contentType, string body, int status = 200) =>
        _routes[path] = r => Send(r, status, contentType, Encoding.UTF8.GetBytes(body));

    public void Bytes(string path, string contentType, byte[] body) => _routes[path] = r => Send(r, 200, contentType, body);

    public void Redirect(string path, string location, int status = 302) =>
        _routes[path] = r => { r.StatusCode = status; r.RedirectLocation = location; r.Close(); };

    private static void Send(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Requests++;
            if (_routes.TryGetValue(context.Request.Url!.AbsolutePath, out var route)) route(context.Response);
            else { context.Response.StatusCode = 404; context.Response.Close(); }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
