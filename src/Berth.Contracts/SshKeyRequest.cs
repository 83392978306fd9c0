namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/ssh-keys</c>: one OpenSSH public key line.</summary>
public sealed record SshKeyRequest
{
    public required string Key { get; init; }
}
