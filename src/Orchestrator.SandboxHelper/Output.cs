using System.Text;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>Writes straight to fd 2 and fd 1: no Console machinery, which would cost start-up time.</summary>
internal static unsafe class Output
{
    public const string Prefix = "orchestrator-sandbox: ";

    public static void Error(string message) => WriteAll(2, Prefix + message + "\n");

    public static void Out(string text) => WriteAll(1, text);

    private static void WriteAll(int fd, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var written = Libc.Write(fd, start + offset, bytes.Length - offset);
                if (written < 0 && Libc.LastError == Libc.EINTR)
                {
                    continue;
                }

                if (written <= 0)
                {
                    return;
                }

                offset += (int)written;
            }
        }
    }
}
