using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using static Orchestrator.Sandbox.Windows.Native.WindowsNative;

namespace Orchestrator.Sandbox.Windows.Native;

/// <summary>
/// Carries out a <see cref="WindowsLaunchPlan"/> with a restricted token: applies the ACL entries, creates the
/// restricted token, creates and configures the job, starts the process suspended with only its three pipe handles
/// inheritable, assigns it to the job, then resumes it. UNVERIFIED: written against the Win32 documentation and
/// compiled on Linux; it has never run on Windows.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsProcessLauncher
{
    public static WindowsStartedProcess Start(WindowsLaunchPlan plan)
    {
        if (!plan.CanLaunch)
            throw new SandboxUnavailableException(string.Join(" ", plan.Refusals));
        if (plan.Isolation == WindowsIsolation.AppContainer)
            throw new SandboxUnavailableException("AppContainer launch is not implemented in this build.");

        foreach (var entry in plan.Acl)
            ApplyAclEntry(entry);

        var token = IntPtr.Zero;
        var job = IntPtr.Zero;
        var pipes = new List<IntPtr>();
        try
        {
            token = plan.Token is null ? OpenOwnToken() : CreateRestrictedToken(plan.Token);
            job = CreateJob(plan.Job);

            var (stdinRead, stdinWrite) = Pipe(childReads: true);
            var (stdoutRead, stdoutWrite) = Pipe(childReads: false);
            var (stderrRead, stderrWrite) = Pipe(childReads: false);
            pipes.AddRange([stdinRead, stdoutWrite, stderrWrite]);
            CloseHandle(stdinWrite); // the command reads end-of-file at once
            var parentStdout = new SafeFileHandle(stdoutRead, ownsHandle: true);
            var parentStderr = new SafeFileHandle(stderrRead, ownsHandle: true);

            var info = CreateSuspended(plan, token, stdinRead, stdoutWrite, stderrWrite);
            if (!AssignProcessToJobObject(job, info.hProcess))
            {
                var error = Marshal.GetLastWin32Error();
                TerminateProcess(info.hProcess, 1);
                CloseHandle(info.hThread);
                CloseHandle(info.hProcess);
                throw new Win32Exception(error, "AssignProcessToJobObject failed; the process was killed before it ran.");
            }
            ResumeThread(info.hThread);
            CloseHandle(info.hThread);

            var started = new WindowsStartedProcess(info.hProcess, job, parentStdout, parentStderr);
            job = IntPtr.Zero;
            return started;
        }
        finally
        {
            foreach (var handle in pipes)
                CloseHandle(handle);
            if (token != IntPtr.Zero)
                CloseHandle(token);
            if (job != IntPtr.Zero)
                CloseHandle(job);
        }
    }

    private static IntPtr OpenOwnToken()
    {
        Check(OpenProcessToken(GetCurrentProcess(), TOKEN_DUPLICATE | TOKEN_ASSIGN_PRIMARY | TOKEN_QUERY | TOKEN_ADJUST_DEFAULT, out var token), "OpenProcessToken");
        return token;
    }

    private static IntPtr CreateRestrictedToken(RestrictedTokenSettings settings)
    {
        var own = OpenOwnToken();
        var sids = new List<IntPtr>();
        var groups = IntPtr.Zero;
        try
        {
            groups = TokenInformation(own, TokenGroups);
            var logonSid = FindLogonSid(groups);
            IntPtr Resolve(string sid)
            {
                if (sid == WellKnownSids.LogonSessionPlaceholder)
                    return logonSid;
                Check(ConvertStringSidToSidW(sid, out var p), $"ConvertStringSidToSid({sid})");
                sids.Add(p);
                return p;
            }

            var disable = settings.DenyOnlySids.Select(s => new SID_AND_ATTRIBUTES { Sid = Resolve(s) }).ToArray();
            var restrict = settings.RestrictingSids.Select(s => new SID_AND_ATTRIBUTES { Sid = Resolve(s) }).ToArray();
            var flags = (settings.DisableMaxPrivilege ? DISABLE_MAX_PRIVILEGE : 0) | (settings.WriteRestricted ? WRITE_RESTRICTED : 0);
            Check(WindowsNative.CreateRestrictedToken(own, flags, (uint)disable.Length, disable, 0, IntPtr.Zero, (uint)restrict.Length, restrict, out var restricted),
                "CreateRestrictedToken");

            SetIntegrityLevel(restricted, Resolve(settings.IntegrityLevelSid));
            if (settings.DefaultDaclGrantsRestrictingSid)
                SetDefaultDacl(restricted, own, restrict.Select(r => r.Sid));
            return restricted;
        }
        finally
        {
            foreach (var p in sids)
                LocalFree(p);
            if (groups != IntPtr.Zero)
                Marshal.FreeHGlobal(groups);
            CloseHandle(own);
        }
    }

    /// <summary>Finds the logon-session SID in a TOKEN_GROUPS buffer (the pointer stays valid while the buffer lives).</summary>
    private static IntPtr FindLogonSid(IntPtr tokenGroups)
    {
        var count = Marshal.ReadInt32(tokenGroups);
        var first = tokenGroups + IntPtr.Size; // GroupCount is padded to pointer alignment
        var size = Marshal.SizeOf<SID_AND_ATTRIBUTES>();
        for (var i = 0; i < count; i++)
        {
            var group = Marshal.PtrToStructure<SID_AND_ATTRIBUTES>(first + i * size);
            if ((group.Attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID)
                return group.Sid;
        }
        throw new SandboxUnavailableException("The caller's token has no logon-session SID.");
    }

    private static void SetIntegrityLevel(IntPtr token, IntPtr levelSid)
    {
        var label = new SID_AND_ATTRIBUTES { Sid = levelSid, Attributes = SE_GROUP_INTEGRITY };
        var size = Marshal.SizeOf(label);
        var buffer = Marshal.AllocHGlobal(size);
        try
        {
            Marshal.StructureToPtr(label, buffer, false);
            Check(SetTokenInformation(token, TokenIntegrityLevel, buffer, size + GetLengthSid(levelSid)), "SetTokenInformation(TokenIntegrityLevel)");
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>Objects the command creates (its own threads, pipes, events) must be writable by the restricting SIDs too.</summary>
    private static void SetDefaultDacl(IntPtr token, IntPtr ownToken, IEnumerable<IntPtr> restrictingSids)
    {
        var user = TokenInformation(ownToken, TokenUser);
        var system = IntPtr.Zero;
        var acl = IntPtr.Zero;
        try
        {
            Check(ConvertStringSidToSidW("S-1-5-18", out system), "ConvertStringSidToSid(SYSTEM)");
            var userSid = Marshal.ReadIntPtr(user); // TOKEN_USER starts with SID_AND_ATTRIBUTES
            var entries = new[] { userSid, system }.Concat(restrictingSids).Select(sid => new EXPLICIT_ACCESS_W
            {
                grfAccessPermissions = GENERIC_ALL,
                grfAccessMode = GRANT_ACCESS,
                grfInheritance = NO_INHERITANCE,
                Trustee = new TRUSTEE_W { TrusteeForm = TRUSTEE_IS_SID, ptstrName = sid },
            }).ToArray();
            CheckStatus(SetEntriesInAclW((uint)entries.Length, entries, IntPtr.Zero, out acl), "SetEntriesInAcl(default DACL)");
            var dacl = new TOKEN_DEFAULT_DACL { DefaultDacl = acl };
            var buffer = Marshal.AllocHGlobal(Marshal.SizeOf(dacl));
            try
            {
                Marshal.StructureToPtr(dacl, buffer, false);
                Check(SetTokenInformation(token, TokenDefaultDacl, buffer, Marshal.SizeOf(dacl)), "SetTokenInformation(TokenDefaultDacl)");
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }
        finally
        {
            if (acl != IntPtr.Zero)
                LocalFree(acl);
            if (system != IntPtr.Zero)
                LocalFree(system);
            Marshal.FreeHGlobal(user);
        }
    }

    private static IntPtr TokenInformation(IntPtr token, int infoClass)
    {
        GetTokenInformation(token, infoClass, IntPtr.Zero, 0, out var needed);
        var buffer = Marshal.AllocHGlobal(needed);
        if (!GetTokenInformation(token, infoClass, buffer, needed, out _))
        {
            var error = Marshal.GetLastWin32Error();
            Marshal.FreeHGlobal(buffer);
            throw new Win32Exception(error, $"GetTokenInformation({infoClass}) failed.");
        }
        return buffer;
    }

    private static IntPtr CreateJob(JobObjectLimits limits)
    {
        var job = CreateJobObjectW(IntPtr.Zero, null);
        if (job == IntPtr.Zero)
            throw new Win32Exception(Marshal.GetLastWin32Error(), "CreateJobObject failed.");

        var flags = JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_JOB_MEMORY
            | (limits.KillOnJobClose ? JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE : 0)
            | (limits.DieOnUnhandledException ? JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION : 0)
            | (limits.AllowBreakaway ? JOB_OBJECT_LIMIT_BREAKAWAY_OK : 0)
            | (limits.PerJobUserTimeLimitTicks is null ? 0 : JOB_OBJECT_LIMIT_JOB_TIME);
        var extended = new JOBOBJECT_EXTENDED_LIMIT_INFORMATION
        {
            BasicLimitInformation = new JOBOBJECT_BASIC_LIMIT_INFORMATION
            {
                LimitFlags = flags,
                ActiveProcessLimit = (uint)limits.ActiveProcessLimit,
                PerJobUserTimeLimit = limits.PerJobUserTimeLimitTicks ?? 0,
            },
            JobMemoryLimit = (UIntPtr)(ulong)limits.JobMemoryLimitBytes,
        };
        SetJobInformation(job, JobObjectExtendedLimitInformation, extended);
        if (limits.UiRestrictions != JobUiRestrictions.None)
            SetJobInformation(job, JobObjectBasicUIRestrictions, new JOBOBJECT_BASIC_UI_RESTRICTIONS { UIRestrictionsClass = (uint)limits.UiRestrictions });
        return job;
    }

    private static void SetJobInformation<T>(IntPtr job, int infoClass, T value) where T : struct
    {
        var size = Marshal.SizeOf<T>();
        var buffer = Marshal.AllocHGlobal(size);
        try
        {
            Marshal.StructureToPtr(value, buffer, false);
            if (!SetInformationJobObject(job, infoClass, buffer, size))
            {
                var error = Marshal.GetLastWin32Error();
                CloseHandle(job);
                throw new Win32Exception(error, $"SetInformationJobObject({infoClass}) failed.");
            }
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>An anonymous pipe whose child end is inheritable and whose parent end is not.</summary>
    private static (IntPtr Read, IntPtr Write) Pipe(bool childReads)
    {
        var attributes = new SECURITY_ATTRIBUTES { nLength = Marshal.SizeOf<SECURITY_ATTRIBUTES>(), bInheritHandle = 1 };
        Check(CreatePipe(out var read, out var write, ref attributes, 0), "CreatePipe");
        Check(SetHandleInformation(childReads ? write : read, HANDLE_FLAG_INHERIT, 0), "SetHandleInformation");
        return (read, write);
    }

    private static PROCESS_INFORMATION CreateSuspended(WindowsLaunchPlan plan, IntPtr token, IntPtr stdin, IntPtr stdout, IntPtr stderr)
    {
        var size = IntPtr.Zero;
        InitializeProcThreadAttributeList(IntPtr.Zero, 1, 0, ref size);
        var attributes = Marshal.AllocHGlobal(size);
        var handles = Marshal.AllocHGlobal(IntPtr.Size * 3);
        var commandLine = Marshal.StringToHGlobalUni(plan.CommandLine);
        var environment = Marshal.StringToHGlobalUni(WindowsEnvironmentBlock.Render(plan.Environment));
        var listInitialised = false;
        try
        {
            Check(InitializeProcThreadAttributeList(attributes, 1, 0, ref size), "InitializeProcThreadAttributeList");
            listInitialised = true;
            Marshal.WriteIntPtr(handles, 0, stdin);
            Marshal.WriteIntPtr(handles, IntPtr.Size, stdout);
            Marshal.WriteIntPtr(handles, IntPtr.Size * 2, stderr);
            // Only these three handles are inherited, whatever else the orchestrator left inheritable.
            Check(UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, IntPtr.Size * 3, IntPtr.Zero, IntPtr.Zero),
                "UpdateProcThreadAttribute(HANDLE_LIST)");

            var startup = new STARTUPINFOEXW
            {
                StartupInfo = new STARTUPINFOW
                {
                    cb = Marshal.SizeOf<STARTUPINFOEXW>(),
                    dwFlags = STARTF_USESTDHANDLES,
                    hStdInput = stdin,
                    hStdOutput = stdout,
                    hStdError = stderr,
                },
                lpAttributeList = attributes,
            };
            const uint flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | CREATE_NO_WINDOW;
            Check(CreateProcessAsUserW(token, plan.ApplicationName, commandLine, IntPtr.Zero, IntPtr.Zero, true, flags, environment,
                plan.WorkingDirectory, ref startup, out var info), "CreateProcessAsUser");
            return info;
        }
        finally
        {
            if (listInitialised)
                DeleteProcThreadAttributeList(attributes);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(handles);
            Marshal.FreeHGlobal(commandLine);
            Marshal.FreeHGlobal(environment);
        }
    }

    /// <summary>Merges one entry into the path's DACL (and its low-integrity label); a path that does not exist is skipped, as the plan's limitations say.</summary>
    private static void ApplyAclEntry(AclEntry entry)
    {
        if (!File.Exists(entry.Path) && !Directory.Exists(entry.Path))
            return;

        Check(ConvertStringSidToSidW(entry.Sid, out var sid), $"ConvertStringSidToSid({entry.Sid})");
        var descriptor = IntPtr.Zero;
        var newAcl = IntPtr.Zero;
        try
        {
            CheckStatus(GetNamedSecurityInfoW(entry.Path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, IntPtr.Zero, IntPtr.Zero, out var oldAcl, IntPtr.Zero, out descriptor),
                $"GetNamedSecurityInfo({entry.Path})");
            var access = new[]
            {
                new EXPLICIT_ACCESS_W
                {
                    grfAccessPermissions = (uint)entry.Rights,
                    grfAccessMode = entry.Kind == AclEntryKind.Allow ? GRANT_ACCESS : DENY_ACCESS,
                    grfInheritance = entry.Inheritance == AclInheritance.ObjectsAndContainers ? OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE : NO_INHERITANCE,
                    Trustee = new TRUSTEE_W { TrusteeForm = TRUSTEE_IS_SID, ptstrName = sid },
                },
            };
            CheckStatus(SetEntriesInAclW(1, access, oldAcl, out newAcl), $"SetEntriesInAcl({entry.Path})");
            CheckStatus(SetNamedSecurityInfoW(entry.Path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, IntPtr.Zero, IntPtr.Zero, newAcl, IntPtr.Zero),
                $"SetNamedSecurityInfo({entry.Path})");
            if (entry.LowIntegrityLabel)
                SetLowIntegrityLabel(entry.Path);
        }
        finally
        {
            if (newAcl != IntPtr.Zero)
                LocalFree(newAcl);
            if (descriptor != IntPtr.Zero)
                LocalFree(descriptor);
            LocalFree(sid);
        }
    }

    private static void SetLowIntegrityLabel(string path)
    {
        // Mandatory label: low, no-write-up, inherited by files and directories.
        Check(ConvertStringSecurityDescriptorToSecurityDescriptorW("S:(ML;OICI;NW;;;LW)", 1, out var descriptor, IntPtr.Zero), "ConvertStringSecurityDescriptorToSecurityDescriptor");
        try
        {
            Check(GetSecurityDescriptorSacl(descriptor, out _, out var sacl, out _), "GetSecurityDescriptorSacl");
            CheckStatus(SetNamedSecurityInfoW(path, SE_FILE_OBJECT, LABEL_SECURITY_INFORMATION, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, sacl),
                $"SetNamedSecurityInfo(label, {path})");
        }
        finally
        {
            LocalFree(descriptor);
        }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
            throw new Win32Exception(Marshal.GetLastWin32Error(), $"{what} failed.");
    }

    private static void CheckStatus(uint status, string what)
    {
        if (status != 0)
            throw new Win32Exception((int)status, $"{what} failed.");
    }
}
