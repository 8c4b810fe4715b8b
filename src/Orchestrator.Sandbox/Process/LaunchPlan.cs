using System.Collections.Immutable;

namespace Orchestrator.Sandbox.Process;

/// <summary>
/// Exactly what to start. <see cref="Environment"/> is the complete environment of the child: nothing of ours is
/// inherited. A <see cref="FileName"/> without a slash is looked up on the PATH of <see cref="Environment"/>; one with
/// a slash but not rooted is taken relative to <see cref="WorkingDirectory"/>.
/// </summary>
public sealed record LaunchPlan(
    string FileName,
    ImmutableArray<string> Arguments,
    string WorkingDirectory,
    ImmutableDictionary<string, string> Environment)
{
    /// <summary>
    /// Descriptors of ours (close-on-exec) the child must inherit under the same numbers. They are made inheritable
    /// only while this launch forks, under a lock all such launches share, so concurrent launches never get each other's.
    /// </summary>
    public ImmutableArray<int> InheritedDescriptors { get; init; } = [];
}
