namespace Berth.Daemon.Images;

/// <summary>The images Berth can build. busybox needs no network; Debian images are built once with debootstrap and cached.</summary>
public static class ImageCatalog
{
    private static readonly string[] DebianPackages = ["init", "ifupdown", "iproute2", "netbase", "iputils-ping", "procps", "ca-certificates"];

    public static IReadOnlyList<ImageDefinition> All { get; } =
    [
        new("busybox", "busybox", "1", "busybox-static rootfs v1") { HaltSignal = "SIGUSR1" },
        Debian("12", "bookworm"),
        Debian("11", "bullseye"),
        Debian("12", "bookworm", "-ssh", "openssh-server"),
    ];

    public static ImageDefinition? Find(string alias) => All.FirstOrDefault(i => i.Alias == alias);

    /// <summary>The plain Debian image of the same suite that <paramref name="image"/> adds packages to, or null when it is one itself.</summary>
    public static ImageDefinition? BaseOf(ImageDefinition image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.Suite is null
            ? null
            : All.FirstOrDefault(i => i.Suite == image.Suite && i.Packages.SequenceEqual(DebianPackages) && i.Fingerprint != image.Fingerprint);
    }

    /// <summary>The packages <paramref name="image"/> has beyond its <paramref name="baseImage"/>.</summary>
    public static IReadOnlyList<string> ExtraPackages(ImageDefinition image, ImageDefinition baseImage)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(baseImage);
        return [.. image.Packages.Except(baseImage.Packages, StringComparer.Ordinal)];
    }

    // A variant (e.g. "-ssh" with openssh-server) is the same recipe plus packages; its fingerprint follows from that.
    private static ImageDefinition Debian(string release, string suite, string variant = "", params string[] extra) =>
        DebianWith($"debian/{release}{variant}", release, suite, extra);

    /// <summary>A Debian image under <paramref name="alias"/>: the minimal system plus <paramref name="extra"/> packages (sorted, so the order never changes the recipe).</summary>
    public static ImageDefinition DebianWith(string alias, string release, string suite, IEnumerable<string> extra)
    {
        string[] packages = [.. DebianPackages.Concat(extra.Except(DebianPackages).Order(StringComparer.Ordinal).Distinct())];
        return new(alias, "debian", release, $"debootstrap minbase {suite} amd64 {string.Join(",", packages)} v2")
        {
            Suite = suite,
            Packages = packages,
            LxcProfile = "debian",
        };
    }
}
