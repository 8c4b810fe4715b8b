using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class SeccompEnforcementTests(HelperBinary binary)
{
    private const string TryIoctl = """
        import fcntl, os, sys
        fd = os.open("/dev/null", os.O_RDONLY)
        try:
            fcntl.ioctl(fd, int(sys.argv[1], 16), b"x")
            print("allowed")
        except OSError as e:
            print("errno", e.errno)
        """;

    private const string TryPtraceAttach = """
        import ctypes, sys
        libc = ctypes.CDLL(None, use_errno=True)
        PTRACE_ATTACH = 16
        result = libc.ptrace(PTRACE_ATTACH, int(sys.argv[1]), None, None)
        print(result, ctypes.get_errno())
        """;

    private readonly SandboxHelperRunner _helper = new(binary);

    [Theory]
    [InlineData("5412")]
    [InlineData("541c")]
    public void Terminal_injection_ioctls_fail_with_eperm(string request)
    {
        var unfiltered = _helper.RunPython([], TryIoctl, request);
        var filtered = _helper.RunPython(["--seccomp"], TryIoctl, request);

        Assert.Equal("errno 25\n", unfiltered.StandardOutput); // ENOTTY: the kernel saw the call
        Assert.Equal("errno 1\n", filtered.StandardOutput);
    }

    [Fact]
    public void Creating_a_user_namespace_fails()
    {
        var result = _helper.Run(["--seccomp"], ["unshare", "-U", "true"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Operation not permitted", result.StandardError);
    }

    [Fact]
    public void Mounting_fails()
    {
        using var scratch = new TemporaryDirectory();
        var mountPoint = scratch.Combine("x");
        Directory.CreateDirectory(mountPoint);
        try
        {
            var result = _helper.Run(["--seccomp"], ["mount", "-t", "tmpfs", "none", mountPoint]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("permission denied", result.StandardError, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            // Only reached with a mount in place if the filter failed; undo it so the host stays clean.
            if (File.ReadAllText("/proc/self/mounts").Contains(mountPoint, StringComparison.Ordinal))
            {
                ProcessRunner.Run("umount", [mountPoint]);
            }
        }
    }

    [Fact]
    public void Ptrace_attach_to_a_sibling_fails()
    {
        using var sibling = System.Diagnostics.Process.Start(new ProcessStartInfo("sleep", "30") { RedirectStandardOutput = true })!;
        try
        {
            var result = _helper.RunPython(
                ["--seccomp"], TryPtraceAttach, sibling.Id.ToString(CultureInfo.InvariantCulture));

            Assert.Equal("-1 1\n", result.StandardOutput);
        }
        finally
        {
            sibling.Kill();
            sibling.WaitForExit();
        }
    }
}
