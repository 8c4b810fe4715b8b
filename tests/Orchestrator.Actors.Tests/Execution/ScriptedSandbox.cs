using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Sandbox;

namespace Orchestrator.Actors.Tests.Execution;

/// <summary>
/// A sandbox for the specs whose behaviour is the Bash command text: <c>echo TEXT</c> succeeds with TEXT on stdout,
/// <c>block NAME</c> runs until the spec releases the gate NAME (or the worker cancels it), <c>fail-async</c> returns a
/// faulted task (a poisoned call), <c>unavailable</c> a faulted task with <see cref="SandboxUnavailableException"/>,
/// <c>throw-sync</c> throws before returning a task (a broken sandbox, which must crash its worker),
/// <c>sandbox-fails REASON</c> ends with exit 1 but says the sandbox never started the command, and <c>creates PATH</c>
/// runs fine but reports that PATH, a protected path, appeared and was moved into the quarantine. <c>curl URL</c>
/// (a network command to the classifier) succeeds with <c>network ACCESS</c> on stdout, the network its profile gave it.
/// Every run's command and profile are kept in <see cref="Runs"/>.
/// </summary>
public sealed class ScriptedSandbox(string kind = "linux-scripted") : ICommandSandbox
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new();

    public string Kind => kind;

    public SandboxPlan PlanAnswer { get; init; } = new(true, new SandboxLayers(kind, ["scripted"], []), null);

    public SandboxPlan Plan(SandboxProfile profile) => PlanAnswer;

    /// <summary>The command text and profile of every run, in the order the runs started.</summary>
    public ConcurrentQueue<(string Command, SandboxProfile Profile)> Runs { get; } = new();

    public Task<CommandResult> RunAsync(CommandRequest request, SandboxProfile profile, CancellationToken cancellationToken = default)
    {
        Runs.Enqueue((request.Arguments[^1], profile));
        var words = request.Arguments[^1].Split(' ', 2);
        switch (words[0])
        {
            case "curl":
                return Task.FromResult(Result(0, $"network {profile.Network}"));
            case "echo":
                return Task.FromResult(Result(0, words[1]));
            case "block":
                var gate = GateNamed(words[1]);
                cancellationToken.Register(() =>
                {
                    gate.Cancelled.TrySetResult();
                    gate.Outcome.TrySetCanceled(cancellationToken);
                });
                gate.Started.TrySetResult();
                return gate.Outcome.Task;
            case "fail-async":
                return Task.FromException<CommandResult>(new InvalidOperationException("injected: the runner failed for this call"));
            case "unavailable":
                return Task.FromException<CommandResult>(new SandboxUnavailableException("injected: a needed layer is missing"));
            case "sandbox-fails":
                return Task.FromResult(Result(1, "") with { SandboxFailure = words[1] });
            case "creates":
                return Task.FromResult(Result(0, "") with
                {
                    CreatedProtectedPaths = [new Orchestrator.Core.History.Events.CreatedProtectedPath(words[1], "/data/quarantine/x/" + Path.GetFileName(words[1]), null, 0)],
                });
            case "throw-sync":
                throw new InvalidOperationException("injected: the sandbox itself is broken");
            default:
                throw new ArgumentException($"no script '{words[0]}'");
        }
    }

    public Gate GateNamed(string name) => _gates.GetOrAdd(name, _ => new Gate());

    public static CommandResult Result(int exitCode, string stdout) =>
        new(exitCode, false, null, TimeSpan.FromMilliseconds(42), Output(stdout), CapturedOutput.Empty, new SandboxLayers("linux-scripted", ["scripted"], []));

    public static CapturedOutput Output(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new CapturedOutput(bytes, [], bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>One blocking execution: when it started, whether it was cancelled, and its outcome once released.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<CommandResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release(string stdout) => Outcome.SetResult(Result(0, stdout));
    }
}
