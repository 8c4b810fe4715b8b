using Orchestrator.Sandbox.Linux.Seccomp;

namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class PassSeccompFdTests(HelperBinary binary)
{
    private const string DumpFd = """
        import os, sys
        fd = int(sys.argv[1])
        data = b""
        while chunk := os.read(fd, 65536):
            data += chunk
        print(data.hex())
        """;

    private readonly SandboxHelperRunner _helper = new(binary);

    [Theory]
    [InlineData("off", false)]
    [InlineData("on", true)]
    public void The_program_inherits_an_fd_holding_the_raw_filter(string network, bool networkAllowed)
    {
        var expected = Convert.ToHexStringLower(SeccompFilter.Build(new SeccompOptions(networkAllowed)).ToBytes());

        var result = _helper.RunPython(["--pass-seccomp-fd", "--net", network], DumpFd, "@SECCOMP_FD@");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected + "\n", result.StandardOutput);
    }

    [Fact]
    public void Outer_mode_applies_no_layer()
    {
        using var elsewhere = new TemporaryDirectory();
        var target = elsewhere.Combine("written");

        var result = _helper.Run(["--pass-seccomp-fd"], ["sh", "-c", $"echo x > '{target}' && unshare -U true && echo fine"]);

        Assert.Equal("fine\n", result.StandardOutput);
    }

    [Fact]
    public void Outer_mode_cannot_be_combined_with_a_layer()
    {
        var result = _helper.Run(["--pass-seccomp-fd", "--seccomp"], ["true"]);

        Assert.Equal(125, result.ExitCode);
    }
}
