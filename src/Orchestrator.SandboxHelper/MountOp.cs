namespace Orchestrator.SandboxHelper;

/// <summary>One mount made in the helper's mount namespace, in command-line order (parents before children).</summary>
internal sealed record MountOp(MountOpKind Kind, string Path);

internal enum MountOpKind
{
    /// <summary><c>--protect</c>: the path bound read-only over itself (with everything beneath it).</summary>
    Protect,

    /// <summary><c>--hide</c>: an empty read-only tmpfs over a directory, an empty read-only file over anything else.</summary>
    Hide,

    /// <summary><c>--expose</c>: a path inside a hidden directory bound back, read-only, on top of its tmpfs.</summary>
    Expose,
}
