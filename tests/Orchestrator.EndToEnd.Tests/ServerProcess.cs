using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// A real <c>orchestrator serve</c> process on a free loopback port, on a given journal. <see cref="Kill"/> sends
/// SIGKILL: no shutdown hook runs, exactly like a crash.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly List<string> _log = [];

    private ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri Url { get; }
    public HttpClient Client { get; }
    public string Log { get { lock (_log) return string.Join('\n', _log); } }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "orchestrator");

    /// <param name="waitReady">False: return once it serves, ready or not (a test of why it is not ready).</param>
    public static async Task<ServerProcess> StartAsync(ServerSetup setup, bool waitReady = true)
    {
        setup.IssueTokens();
        if (setup.RunAsNobody && Directory.Exists(setup.Data))
            Process.Start("chown", ["-R", "65534:65534", setup.Data])!.WaitForExit();
        var info = new ProcessStartInfo(setup.RunAsNobody ? "setpriv" : Executable)
        {
            WorkingDirectory = setup.Project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (setup.RunAsNobody)
        {
            if (!OperatingSystem.IsWindows())
                foreach (var dir in new[] { setup.Root, setup.Project, setup.Home }) File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
            foreach (var arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--", Executable }) info.ArgumentList.Add(arg);
        }
        foreach (var arg in setup.Arguments()) info.ArgumentList.Add(arg);
        info.Environment["HOME"] = setup.Home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(setup.Home, ".config");
        info.Environment["ORCHESTRATOR_MANAGED_SETTINGS"] = "";
        foreach (var (name, value) in setup.Environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("orchestrator serve did not start");
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (log) log.Add(line);
            if (ServingLine().Match(line) is { Success: true } m) url.TrySetResult(new Uri(m.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => url.TrySetException(new InvalidOperationException(
            $"orchestrator serve exited with {process.ExitCode} before serving:\n{string.Join('\n', log)}")), TaskScheduler.Default);

        Uri bound;
        try { bound = await url.Task.WaitAsync(StartPatience); }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orchestrator serve printed no address in {StartPatience.TotalSeconds} s:\n{string.Join('\n', log)}");
        }
        var server = new ServerProcess(process, bound);
        if (setup.ClientCredential() is { } credential)
            server.Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        lock (log) server._log.AddRange(log);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.Add(e.Data); };
        try
        {
            if (waitReady) await server.WaitReadyAsync();
        }
        catch
        {
            // A server that never became ready is not left running after the test.
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public Task WaitReadyAsync() => Poll.UntilAsync(async () =>
    {
        try
        {
            if ((await Client.GetAsync("/readyz")).IsSuccessStatusCode) return true;
        }
        catch (HttpRequestException) { }
        return _process.HasExited ? throw new InvalidOperationException($"the server exited with {_process.ExitCode}:\n{Log}") : false;
    }, ready => ready, "the server becoming ready", StartPatience, () => Log);

    /// <summary>Polls the call until <paramref name="done"/> holds for it (at most <paramref name="within"/>, default 90 s); its last state and the server's log when it does not.</summary>
    public async Task<JsonElement> AwaitCallAsync(string id, Func<JsonElement, bool> done, TimeSpan? within = null) =>
        (await Poll.UntilAsync(() => GetAsync($"/v1/calls/{id}"), call => call.Status == 200 && done(call.Body), $"call {id} reaching the expected state",
            within ?? StartPatience, () => Log)).Body;

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"serving on (http://127\.0\.0\.1:\d+/?)")]
    private static partial Regex ServingLine();
}
