using Orchestrator.Sandbox.Files;

namespace Orchestrator.Sandbox.Tests.Tools;

/// <summary>
/// A directory inside the workspace flipped between a real directory and a link to a directory outside it (whose file
/// is the canary: hidden from reading, outside the writable roots) while reads, writes and edits of a file beneath it
/// run: whichever moment each lands in, nothing outside is read or written — with openat2 and with the checked walk.
/// </summary>
public sealed class SymlinkRaceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Flipping_a_link_in_and_out_of_the_workspace_never_lets_a_read_or_write_reach_outside(bool walkOnly)
    {
        using var h = new FileToolHarness(hideOutside: true);
        var outsideTarget = Path.Combine(h.Outside, "target.txt");
        await File.WriteAllTextAsync(outsideTarget, FileToolHarness.CanaryText);
        var canaryWritten = File.GetLastWriteTimeUtc(outsideTarget);
        var flip = h.InWorkspace("flip");
        var parked = h.InWorkspace("parked");
        Directory.CreateDirectory(flip);
        await File.WriteAllTextAsync(Path.Combine(flip, "target.txt"), "inside x\n");
        var target = Path.Combine(flip, "target.txt");

        using var stop = new CancellationTokenSource();
        var flips = 0;
        var flipping = new TaskCompletionSource();
        var flipper = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Directory.Move(flip, parked);
                // A Write landing while the name is free creates it as a directory (Write makes missing parents): clear it.
                while (!TryLink(flip, h.Outside)) Directory.Move(flip, h.InWorkspace($"stray-{Guid.NewGuid():n}"));
                File.Delete(flip);
                while (!TryMove(parked, flip)) Directory.Move(flip, h.InWorkspace($"stray-{Guid.NewGuid():n}"));
                Interlocked.Increment(ref flips);
                flipping.TrySetResult();
            }
        }, TaskCreationOptions.LongRunning);
        await flipping.Task;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            BeneathOpen.WalkOnly.Value = walkOnly;
            var results = new List<Sandbox.Tools.ToolOutcome>();
            // 150 calls each, and on until this worker saw the race both ways (a busy machine can park the flipper on
            // one side for the whole 150), bounded so a broken flipper still ends the test.
            for (var i = 0; i < 150 || (i < 3_000 && !(results.Any(r => r.Succeeded) && results.Any(r => !r.Succeeded))); i++)
            {
                results.Add((i % 3) switch
                {
                    0 => await h.ReadAsync(target),
                    1 => await h.WriteAsync(target, $"inside x written by {worker}.{i}\n"),
                    _ => await h.EditAsync(target, "x", "x!"),
                });
            }
            return results;
        })));
        await stop.CancelAsync();
        await flipper;

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.All(all, o => Assert.DoesNotContain("canary", o.Output));
        Assert.Equal(FileToolHarness.CanaryText, await File.ReadAllTextAsync(outsideTarget));
        Assert.Equal(canaryWritten, File.GetLastWriteTimeUtc(outsideTarget));
        Assert.Equal(["canary.txt", "target.txt"], Directory.GetFileSystemEntries(h.Outside).Select(Path.GetFileName).Order());
        // The race was run: the flipper turned while the calls ran, some calls landed and some were refused.
        Assert.True(flips > 2, $"only {flips} flips");
        Assert.Contains(all, o => o.Succeeded);
        Assert.Contains(all, o => !o.Succeeded);
    }

    private static bool TryLink(string link, string target)
    {
        try
        {
            File.CreateSymbolicLink(link, target);
            return true;
        }
        catch (IOException) when (Directory.Exists(link))
        {
            return false;
        }
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            Directory.Move(from, to);
            return true;
        }
        catch (IOException) when (Directory.Exists(to))
        {
            return false;
        }
    }
}
