using System.Collections.Concurrent;

namespace Orchestrator.Sandbox.Process;

/// <summary>
/// The one thread that starts sandboxed processes. Linux sends a process's parent-death signal when the *thread*
/// that forked it ends, not the process: bubblewrap's <c>--die-with-parent</c> and the helper's own would kill a
/// command the moment a thread-pool thread that happened to start it retired. Started here, they die with Orchestrator
/// and only with it.
/// </summary>
internal static class LaunchThread
{
    private static readonly BlockingCollection<(Action Start, TaskCompletionSource Done)> Queue = [];

    static LaunchThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var (start, done) in Queue.GetConsumingEnumerable())
            {
                try
                {
                    start();
                    done.SetResult();
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }
        })
        { IsBackground = true, Name = "orchestrator-launch" };
        thread.Start();
    }

    public static Task RunAsync(Action start)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((start, done));
        return done.Task;
    }
}
