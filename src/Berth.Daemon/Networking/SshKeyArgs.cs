namespace Berth.Daemon.Networking;

/// <summary>Arguments of ssh-key jobs: the key line to add, or the fingerprint or comment to remove.</summary>
public sealed record SshKeyArgs(string Container, string? Line, string? Remove);
