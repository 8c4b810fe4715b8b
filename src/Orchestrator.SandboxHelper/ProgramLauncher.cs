using System.Runtime.InteropServices;
using Orchestrator.SandboxHelper.Native;

namespace Orchestrator.SandboxHelper;

/// <summary>
/// execvp(3) done by hand: names without '/' are searched in PATH, the current environment is passed on, and a file
/// the kernel cannot execute (ENOEXEC) is handed to /bin/sh. Returns only on failure: 127 not found, 126 not executable.
/// </summary>
internal static unsafe class ProgramLauncher
{
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";
    private const string Shell = "/bin/sh";

    public static int Exec(IReadOnlyList<string> command)
    {
        var program = command[0];
        if (program.Length == 0)
        {
            Output.Error("empty program name");
            return ExitCodes.NotFound;
        }

        if (program.Contains('/'))
        {
            var error = TryExec(program, command);
            return Fail(program, error, error == Libc.ENOENT ? ExitCodes.NotFound : ExitCodes.NotExecutable);
        }

        var sawPermissionDenied = false;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? DefaultPath).Split(':'))
        {
            var candidate = directory.Length == 0 ? program : $"{directory.TrimEnd('/')}/{program}";
            var error = TryExec(candidate, command);
            switch (error)
            {
                case Libc.ENOENT or Libc.ENOTDIR:
                    continue;
                case Libc.EACCES:
                    sawPermissionDenied = true;
                    continue;
                default:
                    return Fail(candidate, error, ExitCodes.NotExecutable);
            }
        }

        if (sawPermissionDenied)
        {
            return Fail(program, Libc.EACCES, ExitCodes.NotExecutable);
        }

        Output.Error($"{program}: command not found");
        return ExitCodes.NotFound;
    }

    private static int Fail(string path, int error, int exitCode)
    {
        Output.Error($"{path}: {Libc.Describe(error)}");
        return exitCode;
    }

    /// <returns>The errno of the failed exec (a successful exec does not return).</returns>
    private static int TryExec(string path, IReadOnlyList<string> command)
    {
        var error = ExecOnce(path, command);
        if (error != Libc.ENOEXEC)
        {
            return error;
        }

        var viaShell = new List<string>(command.Count + 1) { Shell, path };
        viaShell.AddRange(command.Skip(1));
        ExecOnce(Shell, viaShell);
        return error;
    }

    private const int SIGKILL = 9;
    private const int SIGSTOP = 19;
    private const int LastStandardSignal = 31;
    private static readonly nint SignalDefault = 0;

    private static int ExecOnce(string path, IReadOnlyList<string> argv)
    {
        // An ignored signal survives exec: the .NET runtime ignores SIGPIPE, and a server started by nohup or from a
        // background job ignores SIGHUP or SIGINT/SIGQUIT. The program gets every default back, so `yes | head -1`
        // ends as it does in a shell and an interrupt ends the command.
        for (var signal = 1; signal <= LastStandardSignal; signal++)
            if (signal is not (SIGKILL or SIGSTOP)) Libc.Signal(signal, SignalDefault);
        var strings = new List<nint>(argv.Count + 1);
        try
        {
            var pathPointer = Marshal.StringToCoTaskMemUTF8(path);
            strings.Add(pathPointer);
            var vector = new nint[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                vector[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
                strings.Add(vector[i]);
            }

            fixed (nint* argvPointer = vector)
            {
                Libc.Execv((byte*)pathPointer, (byte**)argvPointer);
                return Libc.LastError;
            }
        }
        finally
        {
            foreach (var pointer in strings)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }
}
