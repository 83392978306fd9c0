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

    // A variant (e.g. "-ssh" with openssh-server) is the same recipe plus packages; its fingerprint follows from that.
    private static ImageDefinition Debian(string release, string suite, string variant = "", params string[] extra) =>
        new($"debian/{release}{variant}", "debian", release, $"debootstrap minbase {suite} amd64 {string.Join(",", [.. DebianPackages, .. extra])} v2")
        {
            Suite = suite,
            Packages = [.. DebianPackages, .. extra],
            LxcProfile = "debian",
        };
}
