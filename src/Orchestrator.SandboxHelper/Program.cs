using Orchestrator.SandboxHelper;
using Orchestrator.SandboxHelper.Native;

// Everything runs on this one thread: Landlock, seccomp and no-new-privs bind the calling thread, the mount namespace
// is the calling thread's, and it is this thread that calls execve.
try
{
    var options = ArgumentParser.Parse(args);
    if (options.Probe)
    {
        Output.Out(Probe.Run());
        return ExitCodes.Success;
    }

    FileDescriptors.CloseAllAboveStderr(options.StatusFd, options.LifelineFd);
    DieWithParent(options.DieWithParent);
    StatusPipe.Prepare(options.StatusFd, options.LifelineFd);
    CgroupJoiner.Join(options.Cgroups);
    ResourceLimits.Apply(options.Limits);
    // Before a possible fork (MountNamespace), so the waiting parent and the program share the new session and a
    // kill of the process group reaches both.
    if (options.Setsid && Libc.Setsid() < 0)
    {
        throw new HelperException($"setsid failed (is the helper a process group leader?): {Libc.Describe(Libc.LastError)}");
    }

    if (options.MountNamespace)
    {
        if (MountNamespace.Enter(options) is { } parentExit)
        {
            return parentExit;
        }

        MountOperations.Apply(options);
    }

    // After the mounts: a working directory taken before them would still point below the mounts, at the bare host.
    ChangeDirectory(options.WorkingDirectory);
    if (options.DropCapabilities)
    {
        Capabilities.DropAll();
    }

    NoNewPrivileges.Set();
    if (options.Landlock)
    {
        LandlockApplier.Apply(options);
    }

    if (options.Seccomp)
    {
        SeccompLoader.Apply(options);
    }

    if (TestOverrides.FailBeforeExec)
    {
        throw new HelperException("injected setup failure (ORCHESTRATOR_SANDBOX_FAKE_FAILURE=1)");
    }

    StatusPipe.RequireLifeline(options.LifelineFd);
    if (LifelineMonitor.Fork(options) is { } monitorExit)
    {
        return monitorExit;
    }

    StatusPipe.ReportStarting(options.StatusFd);
    return ProgramLauncher.Exec(options.Command);
}
catch (HelperException exception)
{
    Output.Error(exception.Message);
    return exception.ExitCode;
}

// The command is killed when Orchestrator dies (a crash must not leave it running unwatched); the kernel signals
// when the thread that forked us ends, so Orchestrator starts every helper from one thread that lives as long as it.
static void DieWithParent(int? parent)
{
    const int PrSetPdeathsig = 1;
    const int SigKill = 9;
    if (parent is { } pid && (Libc.Prctl(PrSetPdeathsig, SigKill, 0, 0, 0) != 0 || Libc.Getppid() != pid))
    {
        throw new HelperException($"the parent process {pid} is gone (or prctl failed); not starting");
    }
}

static void ChangeDirectory(string? directory)
{
    if (directory is not null && Libc.Chdir(directory) != 0)
    {
        throw new HelperException($"cannot change directory to {directory}: {Libc.Describe(Libc.LastError)}");
    }
}
