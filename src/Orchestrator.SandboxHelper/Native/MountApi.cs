namespace Orchestrator.SandboxHelper.Native;

/// <summary>
/// The new mount API (open_tree, move_mount, mount_setattr: kernels 5.2 and 5.12, older than any with Landlock; the
/// numbers are the same on every architecture). It works on file descriptors, so a mount lands exactly on the object
/// that was opened and checked, and setting read-only keeps every other flag of the mount (a remount through
/// mount(2) must repeat the locked nosuid/nodev flags of a mount inherited from a more privileged namespace).
/// </summary>
internal static unsafe class MountApi
{
    private const long SysOpenTree = 428;
    private const long SysMoveMount = 429;
    private const long SysFsopen = 430;
    private const long SysFsconfig = 431;
    private const long SysFsmount = 432;
    private const long SysMountSetattr = 442;
    private const int FsconfigCmdCreate = 6;
    private const int FsopenCloexec = 1;
    private const int FsmountCloexec = 1;
    private const ulong MountAttrNoSuid = 0x2;
    private const ulong MountAttrNoDev = 0x4;
    private const ulong MountAttrNoExec = 0x8;

    private const int OpenTreeClone = 1;
    private const int AtRecursive = 0x8000;
    private const int AtEmptyPath = 0x1000;
    private const int MoveMountFromEmptyPath = 0x4;
    private const int MoveMountToEmptyPath = 0x40;
    private const ulong MountAttrReadOnly = 0x1;

    /// <summary>A detached copy of the mount tree at <paramref name="fd"/> (with everything mounted below it).</summary>
    public static int CloneTree(int fd)
    {
        var tree = (int)Libc.Syscall(SysOpenTree, fd, (long)EmptyPath(), OpenTreeClone | Libc.O_CLOEXEC | AtEmptyPath | AtRecursive);
        return tree >= 0 ? tree : throw Failure("open_tree");
    }

    /// <summary>Makes the mount tree at <paramref name="treeFd"/> read-only, every mount in it, changing no other flag.</summary>
    public static void MakeReadOnly(int treeFd)
    {
        var attr = stackalloc ulong[4];
        attr[0] = MountAttrReadOnly;
        attr[1] = 0;
        attr[2] = 0;
        attr[3] = 0;
        if (Libc.Syscall(SysMountSetattr, treeFd, (long)EmptyPath(), AtEmptyPath | AtRecursive, (long)attr, 32) != 0)
        {
            throw Failure("mount_setattr");
        }
    }

    /// <summary>Attaches the detached tree <paramref name="treeFd"/> on top of the object <paramref name="targetFd"/> refers to.</summary>
    public static void Attach(int treeFd, int targetFd)
    {
        if (Libc.Syscall(SysMoveMount, treeFd, (long)EmptyPath(), targetFd, (long)EmptyPath(), MoveMountFromEmptyPath | MoveMountToEmptyPath) != 0)
        {
            throw Failure("move_mount");
        }
    }

    /// <summary>A new tmpfs that is mounted nowhere (nosuid, nodev, noexec): files made in it exist for this process only.</summary>
    public static int DetachedTmpfs()
    {
        var context = (int)Libc.Syscall(SysFsopen, (long)TmpfsName, FsopenCloexec, 0);
        if (context < 0)
        {
            throw Failure("fsopen(tmpfs)");
        }

        try
        {
            if (Libc.Syscall(SysFsconfig, context, FsconfigCmdCreate, 0, 0, 0) != 0)
            {
                throw Failure("fsconfig");
            }

            var mount = (int)Libc.Syscall(SysFsmount, context, FsmountCloexec, (long)(MountAttrNoSuid | MountAttrNoDev | MountAttrNoExec));
            return mount >= 0 ? mount : throw Failure("fsmount");
        }
        finally
        {
            Libc.Close(context);
        }
    }

    private static readonly byte* TmpfsName = Utf8("tmpfs");

    private static byte* Utf8(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text + "\0");
        var pointer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(pointer, bytes.Length));
        return pointer;
    }

    /// <summary>Whether the kernel has the calls (probe: a bad descriptor gives EBADF, a missing call ENOSYS).</summary>
    public static bool Available() =>
        Libc.Syscall(SysMountSetattr, -1, (long)EmptyPath(), AtEmptyPath, 0, 0) == 0 || Libc.LastError != Libc.ENOSYS;

    /// <summary>The empty C string the *_EMPTY_PATH flags want (allocated once, never freed).</summary>
    private static readonly byte* Empty = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1);

    private static byte* EmptyPath() => Empty;

    private static MountFailure Failure(string call) => new(call, Libc.LastError);
}

/// <summary>A mount system call failed; the caller names the path it was working on.</summary>
internal sealed class MountFailure(string call, int errno) : Exception($"{call}: {Libc.Describe(errno)}")
{
    public int Errno { get; } = errno;
}
