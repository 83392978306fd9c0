using System.Runtime.InteropServices;

namespace Berth.Cli.Tty;

/// <summary>The C library calls the CLI needs, under their C names; only the types in Tty/ use them.</summary>
internal static partial class LibC
{
    public const int StdinFileNo = 0;
    public const int StdoutFileNo = 1;
    public const int TcsaNow = 0;

    // TIOCGWINSZ on x86-64 and arm64 Linux.
    public const nuint TiocGWinSz = 0x5413;

    // Larger than struct termios on every Linux ABI (60 bytes on glibc x86-64 and arm64); treated as opaque.
    public const int TermiosBufferSize = 256;

    public const int FGetFl = 3;
    public const int OAccMode = 3;
    public const int ORdonly = 0;
    public const int OWronly = 1;
    public const int ORdwr = 2;
    public const int Eintr = 4;

    private const string Library = "libc";

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcgetattr(int fd, Span<byte> termios);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, ReadOnlySpan<byte> termios);

    [LibraryImport(Library)]
    public static partial void cfmakeraw(Span<byte> termios);

    [LibraryImport(Library)]
    public static partial int isatty(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command);

    [LibraryImport(Library, SetLastError = true)]
    public static unsafe partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, out WinSize size);

    /// <summary>struct winsize.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }
}
