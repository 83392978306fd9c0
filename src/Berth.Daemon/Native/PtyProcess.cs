using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Native;

/// <summary>
/// A child process on a new pseudo-terminal, started with posix_spawn in its own session. .NET's Process cannot
/// hand a child a terminal, and the daemon must not fork, so this is the one place that does it.
/// </summary>
public sealed unsafe class PtyProcess : IDisposable
{
    private readonly SafeFileHandle _master;
    private int _exited;

    private PtyProcess(int pid, SafeFileHandle master)
    {
        Pid = pid;
        _master = master;
        Terminal = new FileStream(master, FileAccess.ReadWrite, bufferSize: 0);
    }

    public int Pid { get; }

    /// <summary>The terminal's controller side: read what the program writes, write what it should read.</summary>
    public FileStream Terminal { get; }

    public static PtyProcess Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(environment);
        var master = LibcInterop.posix_openpt(LibcInterop.ORdwr | LibcInterop.ONoctty | LibcInterop.OCloexec);
        if (master < 0 || LibcInterop.grantpt(master) != 0 || LibcInterop.unlockpt(master) != 0)
        {
            throw new IOException($"cannot allocate a pseudo-terminal: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var name = new byte[128];
        int slave;
        fixed (byte* n = name)
        {
            if (LibcInterop.ptsname_r(master, n, (nuint)name.Length) != 0)
            {
                LibcInterop.close(master);
                throw new IOException("cannot name the pseudo-terminal");
            }
        }

        var slavePath = Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0));
        slave = LibcInterop.open(slavePath, LibcInterop.ORdwr | LibcInterop.ONoctty | LibcInterop.OCloexec);
        if (slave < 0)
        {
            LibcInterop.close(master);
            throw new IOException($"cannot open the pseudo-terminal: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        Resize(master, columns, rows);
        try
        {
            var pid = Spawn(argv, environment, slavePath);
            return new PtyProcess(pid, new SafeFileHandle(master, ownsHandle: true));
        }
        catch
        {
            LibcInterop.close(master);
            throw;
        }
        finally
        {
            LibcInterop.close(slave);
        }
    }

    public void Resize(int columns, int rows)
    {
        Resize((int)_master.DangerousGetHandle(), columns, rows);

        // The kernel signals the terminal's foreground group; say it directly too, in case the program left it.
        LibcInterop.kill(Pid, LibcInterop.Sigwinch);
    }

    /// <summary>Waits for the process to end and returns its exit code (128+N when killed by signal N).</summary>
    public Task<int> WaitForExitAsync() => Task.Factory.StartNew(
        () =>
        {
            int status;
            int result;
            do
            {
                result = LibcInterop.waitpid(Pid, &status, 0);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == LibcInterop.Eintr);

            Interlocked.Exchange(ref _exited, 1);
            if (result < 0)
            {
                return 255;
            }

            var signal = status & 0x7f;
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    public void Kill()
    {
        if (Volatile.Read(ref _exited) == 0)
        {
            LibcInterop.kill(Pid, LibcInterop.Sigkill);
        }
    }

    public void Dispose() => Terminal.Dispose();

    private static void Resize(int fd, int columns, int rows)
    {
        var size = new LibcInterop.WinSize { Columns = (ushort)Math.Clamp(columns, 1, 1000), Rows = (ushort)Math.Clamp(rows, 1, 1000) };
        LibcInterop.ioctl(fd, LibcInterop.Tiocswinsz, &size);
    }

    /// <summary>
    /// Starts the program as a session leader that opens the terminal as its standard input, which makes it the
    /// session's controlling terminal (lxc-attach proxies a container terminal only through /dev/tty).
    /// </summary>
    private static int Spawn(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string slavePath)
    {
        var strings = new List<IntPtr>();
        IntPtr Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            strings.Add(p);
            return p;
        }

        var actions = stackalloc byte[256];
        var attributes = stackalloc byte[512];
        var args = stackalloc byte*[argv.Count + 1];
        var env = stackalloc byte*[environment.Count + 1];
        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                args[i] = (byte*)Utf8(argv[i]);
            }

            args[argv.Count] = null;
            var e = 0;
            foreach (var (key, value) in environment)
            {
                env[e++] = (byte*)Utf8($"{key}={value}");
            }

            env[e] = null;
            LibcInterop.posix_spawn_file_actions_init(actions);
            LibcInterop.posix_spawnattr_init(attributes);
            LibcInterop.posix_spawn_file_actions_addopen(actions, 0, (byte*)Utf8(slavePath), LibcInterop.ORdwr, 0);
            LibcInterop.posix_spawn_file_actions_adddup2(actions, 0, 1);
            LibcInterop.posix_spawn_file_actions_adddup2(actions, 0, 2);
            LibcInterop.posix_spawnattr_setflags(attributes, LibcInterop.PosixSpawnSetsid);
            int pid;
            var error = LibcInterop.posix_spawnp(&pid, args[0], actions, attributes, args, env);
            if (error != 0)
            {
                throw new IOException($"cannot start {argv[0]}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            return pid;
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
