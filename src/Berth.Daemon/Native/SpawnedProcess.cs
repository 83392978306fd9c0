using System.Collections;
using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>
/// A child started with posix_spawn on the descriptors it is given and no others (whatever else the daemon has open,
/// even what it inherited without close-on-exec, is closed in the child). It gets default signal dispositions (the runtime ignores SIGPIPE, a pipeline's children must not)
/// and a process group of its own, so killing it takes along what it started. A thread waits for it and reaps it,
/// reading its I/O counters while it is still a zombie; it is killed only before it is reaped, so never a reused pid.
/// </summary>
public sealed unsafe class SpawnedProcess
{
    private readonly Lock _gate = new();
    private bool _reaped;

    private SpawnedProcess(int pid)
    {
        Pid = pid;
        Exited = Task.Factory.StartNew(WaitAndReap, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int Pid { get; }

    /// <summary>Completes when the child has ended and been reaped.</summary>
    public Task<SpawnedProcessExit> Exited { get; }

    /// <summary>Starts <paramref name="argv"/> (looked up in PATH) with the given stdio; stdin is /dev/null when null. Descriptors must be above 2.</summary>
    public static SpawnedProcess Start(IReadOnlyList<string> argv, SafeHandle? stdin, SafeHandle stdout, SafeHandle stderr)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (argv.Count == 0)
        {
            throw new ArgumentException("a command needs a program", nameof(argv));
        }

        var handles = new[] { stdin, stdout, stderr };
        var added = new bool[handles.Length];
        try
        {
            var fds = new int[handles.Length];
            for (var i = 0; i < handles.Length; i++)
            {
                fds[i] = -1;
                if (handles[i] is { } handle)
                {
                    handle.DangerousAddRef(ref added[i]);
                    fds[i] = (int)handle.DangerousGetHandle();
                    if (fds[i] <= 2)
                    {
                        throw new ArgumentException("descriptors handed to a child must be above 2", i switch { 0 => nameof(stdin), 1 => nameof(stdout), _ => nameof(stderr) });
                    }
                }
            }

            return new SpawnedProcess(Spawn(argv, fds[0], fds[1], fds[2]));
        }
        finally
        {
            for (var i = 0; i < handles.Length; i++)
            {
                if (added[i])
                {
                    handles[i]!.DangerousRelease();
                }
            }
        }
    }

    /// <summary>What the child has read and written so far; null once it has been reaped.</summary>
    public ProcessIo? ReadIo()
    {
        lock (_gate)
        {
            return _reaped ? null : ProcessIo.Read(Pid);
        }
    }

    /// <summary>Kills the child and its process group with SIGKILL, unless it has already been reaped.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (!_reaped && LibcInterop.kill(-Pid, LibcInterop.Sigkill) != 0)
            {
                // It left its process group (setsid, setpgid); kill at least the child itself.
                LibcInterop.kill(Pid, LibcInterop.Sigkill);
            }
        }
    }

    private SpawnedProcessExit WaitAndReap()
    {
        var info = stackalloc byte[LibcInterop.SignalInfoSize];
        int result;
        do
        {
            // WNOWAIT leaves the child a zombie: its pid and /proc entry stay valid until the waitpid below.
            result = LibcInterop.waitid(LibcInterop.PPid, Pid, info, LibcInterop.WExited | LibcInterop.WNowait);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == LibcInterop.Eintr);

        var io = ProcessIo.Read(Pid) ?? default;
        int status;
        lock (_gate)
        {
            do
            {
                result = LibcInterop.waitpid(Pid, &status, 0);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == LibcInterop.Eintr);

            _reaped = true;
        }

        if (result < 0)
        {
            return new SpawnedProcessExit(255, io);
        }

        var signal = status & 0x7f;
        return new SpawnedProcessExit(signal == 0 ? (status >> 8) & 0xff : 128 + signal, io);
    }

    private static int Spawn(IReadOnlyList<string> argv, int stdin, int stdout, int stderr)
    {
        var strings = new List<IntPtr>();
        IntPtr Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            strings.Add(p);
            return p;
        }

        // The runtime's view of the environment, as Process.Start passes it.
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();
        if (Processes.JobProcessTag.JobId is { } jobId)
        {
            environment.Add(Processes.JobProcessTag.Entry(jobId));
        }

        var actions = stackalloc byte[LibcInterop.SpawnFileActionsSize];
        var attributes = stackalloc byte[LibcInterop.SpawnAttributesSize];
        var defaults = stackalloc byte[LibcInterop.SignalSetSize];
        var mask = stackalloc byte[LibcInterop.SignalSetSize];
        var args = new IntPtr[argv.Count + 1];
        var env = new IntPtr[environment.Count + 1];
        LibcInterop.posix_spawn_file_actions_init(actions);
        LibcInterop.posix_spawnattr_init(attributes);
        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                args[i] = Utf8(argv[i]);
            }

            for (var i = 0; i < environment.Count; i++)
            {
                env[i] = Utf8(environment[i]);
            }

            if (stdin < 0)
            {
                LibcInterop.posix_spawn_file_actions_addopen(actions, 0, (byte*)Utf8("/dev/null"), LibcInterop.ORdonly, 0);
            }
            else
            {
                LibcInterop.posix_spawn_file_actions_adddup2(actions, stdin, 0);
            }

            LibcInterop.posix_spawn_file_actions_adddup2(actions, stdout, 1);
            LibcInterop.posix_spawn_file_actions_adddup2(actions, stderr, 2);
            LibcInterop.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            LibcInterop.sigfillset(defaults);
            LibcInterop.sigemptyset(mask);
            LibcInterop.posix_spawnattr_setsigdefault(attributes, defaults);
            LibcInterop.posix_spawnattr_setsigmask(attributes, mask);
            LibcInterop.posix_spawnattr_setpgroup(attributes, 0);
            LibcInterop.posix_spawnattr_setflags(attributes, (short)(LibcInterop.PosixSpawnSetpgroup | LibcInterop.PosixSpawnSetsigdef | LibcInterop.PosixSpawnSetsigmask));
            int pid;
            int error;
            fixed (IntPtr* a = args)
            fixed (IntPtr* e = env)
            {
                error = LibcInterop.posix_spawnp(&pid, (byte*)a[0], actions, attributes, (byte**)a, (byte**)e);
            }

            return error == 0 ? pid : throw new IOException($"cannot run {argv[0]}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        finally
        {
            LibcInterop.posix_spawn_file_actions_destroy(actions);
            LibcInterop.posix_spawnattr_destroy(attributes);
            foreach (var p in strings)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }
}
