using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Sandbox.Windows;

/// <summary>Stable, readable JSON for a plan: declaration order, enums by name, indented with \n, non-ASCII kept.</summary>
public static class WindowsLaunchPlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(WindowsLaunchPlan plan) => JsonSerializer.Serialize(plan, Options) + "\n";
}
