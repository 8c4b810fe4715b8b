using System.Text;

namespace Orchestrator.Sandbox.Linux.Workspace;

/// <summary>One event read from an inotify descriptor.</summary>
internal readonly record struct InotifyEvent(int Watch, uint Mask, string Name)
{
    public const uint Create = 0x100;
    public const uint Delete = 0x200;
    public const uint DeleteSelf = 0x400;
    public const uint MoveSelf = 0x800;
    public const uint MovedFrom = 0x40;
    public const uint MovedTo = 0x80;
    public const uint QueueOverflow = 0x4000;
    public const uint Ignored = 0x8000;
    public const uint IsDirectory = 0x40000000;
    public const uint OnlyDirectory = 0x01000000;
    public const uint DontFollow = 0x02000000;
    public const uint ExcludeUnlinked = 0x04000000;

    /// <summary>What a workspace index watches on each directory: names appearing and going, and the directory itself going.</summary>
    public const uint DirectoryMask = Create | Delete | MovedFrom | MovedTo | DeleteSelf | MoveSelf | OnlyDirectory | DontFollow | ExcludeUnlinked;

    public bool Has(uint flag) => (Mask & flag) != 0;
}

/// <summary>
/// Raw inotify through P/Invoke (not FileSystemWatcher, whose events arrive on its own thread whenever they like): the
/// descriptor is non-blocking, so a caller can drain everything the kernel has queued up to this instant.
/// </summary>
internal sealed unsafe class Inotify : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly int _fd;
    private readonly byte[] _buffer = new byte[BufferSize];

    private Inotify(int fd) => _fd = fd;

    public int Descriptor => _fd;

    /// <summary>A new instance, or null with why (the per-user instance limit, fs.inotify.max_user_instances, is small).</summary>
    public static Inotify? TryCreate(out string? whyNot)
    {
        var fd = LinuxNative.InotifyInit(LinuxNative.ONonBlock | LinuxNative.OCloexec);
        whyNot = fd < 0 ? $"inotify_init1 failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(LinuxNative.LastError)}" : null;
        return fd < 0 ? null : new Inotify(fd);
    }

    /// <returns>The watch descriptor, or -1 with the errno in <paramref name="error"/> (ENOSPC: fs.inotify.max_user_watches).</returns>
    public int AddWatch(string directory, out int error)
    {
        var watch = LinuxNative.InotifyAddWatch(_fd, directory, InotifyEvent.DirectoryMask);
        error = watch < 0 ? LinuxNative.LastError : 0;
        return watch;
    }

    public void RemoveWatch(int watch) => LinuxNative.InotifyRemoveWatch(_fd, watch);

    /// <summary>Everything queued right now (never blocks).</summary>
    public List<InotifyEvent> Drain()
    {
        var events = new List<InotifyEvent>();
        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                var read = LinuxNative.Read(_fd, buffer, BufferSize);
                if (read < 0)
                {
                    var error = LinuxNative.LastError;
                    if (error == LinuxNative.EIntr) continue;
                    if (error == LinuxNative.EAgain) return events;
                    throw new IOException($"reading inotify events failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)}");
                }
                if (read == 0) return events;
                Parse(buffer, (int)read, events);
            }
        }
    }

    // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; } — name NUL-padded.
    private static void Parse(byte* buffer, int length, List<InotifyEvent> events)
    {
        var offset = 0;
        while (offset + 16 <= length)
        {
            var watch = *(int*)(buffer + offset);
            var mask = *(uint*)(buffer + offset + 4);
            var nameLength = *(uint*)(buffer + offset + 12);
            var name = "";
            if (nameLength > 0)
            {
                var span = new ReadOnlySpan<byte>(buffer + offset + 16, (int)nameLength);
                var end = span.IndexOf((byte)0);
                name = Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
            }
            events.Add(new InotifyEvent(watch, mask, name));
            offset += 16 + (int)nameLength;
        }
    }

    public void Dispose() => LinuxNative.Close(_fd);
}
