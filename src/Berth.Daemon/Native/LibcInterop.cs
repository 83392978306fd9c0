using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>
/// The libc calls behind terminals and piped children: a pty pair, kernel pipes, posix_spawn (which, unlike fork, is
/// safe in a multi-threaded process) and waiting for the children it started.
/// </summary>
internal static unsafe partial class LibcInterop
{
    private const string Library = "libc";

    public const int ORdwr = 0x2;
    public const int ONoctty = 0x100;
    public const int OCloexec = 0x80000;
    public const short PosixSpawnSetsid = 0x80;
    public const nuint Tiocswinsz = 0x5414;
    public const int Sigwinch = 28;
    public const int Sigkill = 9;
    public const int Eintr = 4;
    public const int ORdonly = 0x0;
    public const short PosixSpawnSetpgroup = 0x2;
    public const short PosixSpawnSetsigdef = 0x4;
    public const short PosixSpawnSetsigmask = 0x8;
    public const int PPid = 1;
    public const int WExited = 0x4;
    public const int WNowait = 0x1000000;
    public const int FDupfdCloexec = 1030;
    public const short Pollout = 0x4;
    public const short Pollerr = 0x8;

    /// <summary>Large enough for glibc's posix_spawn_file_actions_t (80 bytes on x86-64 and arm64).</summary>
    public const int SpawnFileActionsSize = 256;

    /// <summary>Large enough for glibc's posix_spawnattr_t (336 bytes).</summary>
    public const int SpawnAttributesSize = 512;

    /// <summary>glibc's sigset_t (1024 bits).</summary>
    public const int SignalSetSize = 128;

    /// <summary>siginfo_t, which waitid fills.</summary>
    public const int SignalInfoSize = 128;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport(Library)]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitid(int idType, int id, void* info, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, WinSize* size);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addclose(void* actions, int fd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* actions, int fromFd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setpgroup(void* attributes, int processGroup);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Library)]
    public static partial int sigfillset(void* signals);

    [LibraryImport(Library)]
    public static partial int sigemptyset(void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawnp(int* pid, byte* file, void* actions, void* attributes, byte** argv, byte** envp);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }
}
