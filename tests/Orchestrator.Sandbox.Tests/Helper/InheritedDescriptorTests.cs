using System.Runtime.InteropServices;

namespace Orchestrator.Sandbox.Tests.Helper;

/// <summary>A directory fd leaked by the parent must not let the sandboxed program reach outside its roots.</summary>
[Collection(HelperCollection.Name)]
public sealed partial class InheritedDescriptorTests(HelperBinary binary)
{
    private const int ORdOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY, deliberately without O_CLOEXEC

    // Keeps the inherited fd open across its own exec, then execs the rest of its arguments.
    private const string Launcher =
        "import os,sys; fd=int(sys.argv[1]); os.set_inheritable(fd, True); os.execv(sys.argv[2], sys.argv[2:])";

    private const string ReadThroughFd =
        "import os,sys; print(os.listdir('/proc/self/fd')); print(open('/proc/self/fd/%s/data' % sys.argv[1]).read())";

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [Fact]
    public void An_inherited_directory_fd_gives_no_access()
    {
        using var secret = new TemporaryDirectory();
        using var workspace = new TemporaryDirectory();
        File.WriteAllText(secret.Combine("data"), "s3cret");
        var fd = Open(secret.Path, ORdOnlyDirectory);
        Assert.True(fd >= 0, $"open failed: {Marshal.GetLastPInvokeError()}");
        try
        {
            var number = fd.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var unconfined = ProcessRunner.Run(
                SandboxHelperRunner.Python, ["-c", Launcher, number, SandboxHelperRunner.Python, "-c", ReadThroughFd, number]);
            Assert.Contains("s3cret", unconfined.StandardOutput); // the leak is real without the helper

            string[] helperArgs = [binary.Path, .. SandboxHelperRunner.FullSandbox(workspace.Path), "--"];
            var confined = ProcessRunner.Run(
                SandboxHelperRunner.Python,
                ["-c", Launcher, number, .. helperArgs, SandboxHelperRunner.Python, "-c", ReadThroughFd, number]);

            Assert.NotEqual(0, confined.ExitCode);
            Assert.DoesNotContain("s3cret", confined.StandardOutput);
            Assert.Contains("No such file or directory", confined.StandardError);
        }
        finally
        {
            Close(fd);
        }
    }
}
