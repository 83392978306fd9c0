namespace Berth.Cli.Remotes;

/// <summary>One row of <c>berth remote list --format json</c>: a remote without its token.</summary>
internal sealed record RemoteListing
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public string? Fingerprint { get; init; }

    public bool Current { get; init; }
}
