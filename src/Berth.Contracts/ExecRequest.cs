namespace Berth.Contracts;

/// <summary>
/// The query of the exec websocket: <c>cmd</c> repeated once per argument, <c>tty=true</c> for an interactive
/// terminal, <c>env</c> repeated as KEY=VALUE, <c>cwd</c>.
/// </summary>
public sealed record ExecRequest
{
    public required IReadOnlyList<string> Command { get; init; }
    public bool Tty { get; init; }
    public IReadOnlyList<string> Environment { get; init; } = [];
    public string? WorkingDirectory { get; init; }
}
