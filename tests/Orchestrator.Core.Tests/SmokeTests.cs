using Orchestrator.Core.Calls;

namespace Orchestrator.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Bash_call_carries_its_command()
    {
        var call = ToolCall.Bash("ls", "/tmp");
        Assert.Equal("ls", call.InputValue(ToolInputKeys.Command));
    }
}
