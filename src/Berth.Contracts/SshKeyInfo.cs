namespace Berth.Contracts;

/// <summary>A public key allowed to log in as root in a container.</summary>
public sealed record SshKeyInfo
{
    public required string Type { get; init; }
    /// <summary>SHA256:... as ssh-keygen -l prints it.</summary>
    public required string Fingerprint { get; init; }
    public required string Comment { get; init; }
}
