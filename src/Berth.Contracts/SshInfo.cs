namespace Berth.Contracts;

/// <summary>A container's SSH access: the host port forwarded to its port 22 and the command to connect.</summary>
public sealed record SshInfo
{
    public required string Container { get; init; }
    public required int Port { get; init; }
    public required string Command { get; init; }
}
