namespace Orchestrator.Core.Shell;

/// <summary>One piece of a <see cref="ShellWord"/>: literal text or an expansion.</summary>
public abstract record WordPart;
