namespace Berth.Contracts;

/// <summary>
/// The query of the exec websocket: <c>cmd</c> repeated once per argument, <c>tty=true</c> for an interactive
/// terminal, <c>env</c> repeated as KEY=VALUE, <c>cwd</c>, and with a terminal its first size as <c>cols</c> and <c>rows</c>.
/// </summary>
public sealed record ExecRequest
{
    public required IReadOnlyList<string> Command { get; init; }
    public bool Tty { get; init; }
    public IReadOnlyList<string> Environment { get; init; } = [];
    public string? WorkingDirectory { get; init; }

    /// <summary>With <see cref="Tty"/>: the terminal's width when the command starts; later changes travel as Resize frames.</summary>
    public int? Columns { get; init; }

    /// <summary>With <see cref="Tty"/>: the terminal's height when the command starts.</summary>
    public int? Rows { get; init; }
}
