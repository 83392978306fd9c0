namespace Berth.Cli.Tty;

/// <summary>The local terminal held in raw mode (keys go to the container as typed) until disposed.</summary>
internal sealed class Terminal : IDisposable
{
    private readonly byte[] saved;
    private bool restored;

    private Terminal(byte[] saved) => this.saved = saved;

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

    public void Dispose()
    {
        if (!restored)
        {
            restored = true;
            _ = LibC.tcsetattr(LibC.StdinFileNo, LibC.TcsaNow, saved);
        }
    }
}
