namespace Berth.Daemon.Images;

/// <summary>
/// An image a user made, as stored: a built-in Debian image plus packages (<see cref="ImageOrigin.Packages"/>), or a
/// published or imported root filesystem whose recipe only names where it came from.
/// </summary>
public sealed record CustomImage
{
    public required string Alias { get; init; }
    public required ImageOrigin Origin { get; init; }

    /// <summary>The image it extends (packages) or was made from (published), when known.</summary>
    public string? Base { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>For published and imported images: what they are, as the cache's image.json says.</summary>
    public ImageMetadata? Metadata { get; init; }

    /// <summary>Where it came from, in words: "published from app1 (snapshot s1)", "imported from /srv/web.tar.zst".</summary>
    public string? Source { get; init; }

    /// <summary>The member who published it, who alone (with admins) sees and uses it; null: everybody's.</summary>
    public string? Owner { get; init; }
}
