using System.Text.Json.Serialization;
using Orchestrator.Core.Policy;

namespace Orchestrator.Core.History.Events;

/// <summary>The rule that decided a verdict, with where it was written.</summary>
public sealed record MatchedRule(RuleDecision Decision, string Text, SettingsLayer Layer, string File, int Line, int Column)
{
    [JsonIgnore]
    public string Location => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
