namespace Berth.Cli.Tty;

/// <summary>The local terminal held in raw mode (keys go to the container as typed) until disposed.</summary>
internal sealed class Terminal : IDisposable
{
    private readonly byte[] saved;
    private bool restored;

    private Terminal(byte[] saved) => this.saved = saved;

    /// <summary>Whether both standard input and standard output are a terminal.</summary>
    public static bool IsInteractive => OperatingSystem.IsLinux() && LibC.isatty(LibC.StdinFileNo) == 1 && LibC.isatty(LibC.StdoutFileNo) == 1;

    /// <summary>Null when standard input is not a terminal or its mode cannot be changed.</summary>
    public static Terminal? TryEnterRawMode()
    {
        if (!OperatingSystem.IsLinux() || LibC.isatty(LibC.StdinFileNo) != 1)
        {
            return null;
        }

        var saved = new byte[LibC.TermiosBufferSize];
        if (LibC.tcgetattr(LibC.StdinFileNo, saved) != 0)
        {
            return null;
        }

        var raw = (byte[])saved.Clone();
        LibC.cfmakeraw(raw);
        return LibC.tcsetattr(LibC.StdinFileNo, LibC.TcsaNow, raw) == 0 ? new Terminal(saved) : null;
    }

    /// <summary>
    /// The terminal's size from the kernel; Console.WindowWidth is not used because initializing .NET's console
    /// rewrites the terminal mode (turning signals and output processing back on).
    /// </summary>
    public static (int Columns, int Rows)? GetSize()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (int fd in new[] { LibC.StdoutFileNo, LibC.StdinFileNo })
        {
            if (LibC.ioctl(fd, LibC.TiocGWinSz, out var size) == 0 && size.Columns > 0 && size.Rows > 0)
            {
                return (size.Columns, size.Rows);
            }
        }

        return null;
    }

    public void Dispose()
    {
        if (!restored)
        {
            restored = true;
            _ = LibC.tcsetattr(LibC.StdinFileNo, LibC.TcsaNow, saved);
        }
    }
}
