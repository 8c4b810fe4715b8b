using Orchestrator.SandboxHelper;
using Orchestrator.SandboxHelper.Native;

// Everything runs on this one thread: Landlock, seccomp and no-new-privs bind the calling thread, and it is this
// thread that calls execve.
try
{
    var options = ArgumentParser.Parse(args);
    if (options.Probe)
    {
        Output.Out(Probe.Run());
        return ExitCodes.Success;
    }

    FileDescriptors.CloseAllAboveStderr();
    var command = options.PassSeccompFd ? SeccompFdPasser.Prepare(options) : options.Command;
    CgroupJoiner.Join(options.Cgroups);
    ResourceLimits.Apply(options.Limits);
    ChangeDirectory(options.WorkingDirectory);
    if (options.DropCapabilities)
    {
        Capabilities.DropAll();
    }

    if (!options.PassSeccompFd)
    {
        NoNewPrivileges.Set();
        if (options.Landlock)
        {
            LandlockApplier.Apply(options);
        }

        if (options.Seccomp)
        {
            SeccompLoader.Apply(options);
        }
    }

    if (options.Setsid && Libc.Setsid() < 0)
    {
        throw new HelperException($"setsid failed (is the helper a process group leader?): {Libc.Describe(Libc.LastError)}");
    }

    return ProgramLauncher.Exec(command);
}
catch (HelperException exception)
{
    Output.Error(exception.Message);
    return exception.ExitCode;
}

static void ChangeDirectory(string? directory)
{
    if (directory is not null && Libc.Chdir(directory) != 0)
    {
        throw new HelperException($"cannot change directory to {directory}: {Libc.Describe(Libc.LastError)}");
    }
}
