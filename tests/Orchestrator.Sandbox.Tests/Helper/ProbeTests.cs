using System.Text.Json;

namespace Orchestrator.Sandbox.Tests.Helper;

[Collection(HelperCollection.Name)]
public sealed class ProbeTests(HelperBinary binary)
{
    [Fact]
    public void Probe_prints_one_json_line_describing_the_kernel()
    {
        var result = ProcessRunner.Run(binary.Path, ["--probe"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.StandardOutput.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("landlockAbi").GetInt32() >= 1, result.ToString());
        Assert.True(root.GetProperty("seccomp").GetBoolean());
        Assert.Equal(JsonValueKind.True, root.GetProperty("userNamespaces").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("cgroupV1").ValueKind);
        Assert.Contains(root.GetProperty("cgroupV2").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }

    [Fact]
    public void Probe_reports_no_landlock_when_its_absence_is_simulated()
    {
        var result = ProcessRunner.Run(
            binary.Path, ["--probe"], new Dictionary<string, string> { ["ORCHESTRATOR_SANDBOX_FAKE_NO_LANDLOCK"] = "1" });

        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(0, json.RootElement.GetProperty("landlockAbi").GetInt32());
    }
}
