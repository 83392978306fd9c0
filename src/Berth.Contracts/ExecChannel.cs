namespace Berth.Contracts;

/// <summary>
/// Exec streams over a websocket at <c>GET /api/v1/containers/{name}/exec</c>.
/// Every binary message starts with one byte naming its channel; the rest is the payload.
/// </summary>
public enum ExecChannel : byte
{
    /// <summary>Client to daemon: bytes for the command's standard input.</summary>
    Stdin = 0,
    /// <summary>Daemon to client: bytes the command wrote to standard output (or the terminal, with a tty).</summary>
    Stdout = 1,
    /// <summary>Daemon to client: bytes the command wrote to standard error.</summary>
    Stderr = 2,
    /// <summary>Daemon to client: the exit code as ASCII decimal; the last message.</summary>
    Exit = 3,
    /// <summary>Client to daemon: terminal size as ASCII "COLUMNS ROWS".</summary>
    Resize = 4,
    /// <summary>Client to daemon: standard input is closed.</summary>
    StdinClosed = 5,
}
