namespace Berth.Cli.Remotes;

/// <summary>A berthd reached over HTTPS: its URL, the token sent to it and the certificate fingerprint it must present.</summary>
internal sealed record Remote
{
    public required string Url { get; init; }

    /// <summary>Secret: stored in the 0600 config file, never printed.</summary>
    public required string Token { get; init; }

    /// <summary>The SHA-256 fingerprint the server's certificate must have (as berthd --print-fingerprint prints it).</summary>
    public required string Fingerprint { get; init; }
}
