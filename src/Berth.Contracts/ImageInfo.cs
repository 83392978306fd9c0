namespace Berth.Contracts;

/// <summary>A cached image that containers are created from.</summary>
public sealed record ImageInfo
{
    /// <summary>The name users launch it by, e.g. busybox or debian/12.</summary>
    public required string Alias { get; init; }
    /// <summary>sha256 of the recipe that built it (for published images: of where and when they were made).</summary>
    public required string Fingerprint { get; init; }
    public required string Os { get; init; }
    public required string Release { get; init; }
    public required string Architecture { get; init; }
    /// <summary>Whether it is built and cached (false: it will be built at first use).</summary>
    public required bool Cached { get; init; }
    public long? SizeBytes { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>For an image defined with 'image build --packages': the image it extends.</summary>
    public string? Base { get; init; }
    /// <summary>Packages installed on top of the minimal system (Debian images).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
    /// <summary>catalog (built in), packages (a built-in image plus packages), published (from a container) or imported.</summary>
    public string Origin { get; init; } = "catalog";
    /// <summary>Where a published or imported image came from, in words.</summary>
    public string? Source { get; init; }
    /// <summary>How many containers were created from it.</summary>
    public int Containers { get; init; }
}
