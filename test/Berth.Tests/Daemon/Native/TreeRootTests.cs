using Berth.Daemon.Native;

namespace Berth.Tests.Daemon.Native;

/// <summary>Paths resolved as the container resolves them: links to / and "..", however many, stop at the tree's root.</summary>
public sealed class TreeRootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TreeRootTests()
    {
        Directory.CreateDirectory(Rootfs);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "victim"), "host\n");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "slash"), "/");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "up"), "../../../outside");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "absolute"), Outside);
        File.CreateSymbolicLink(Path.Combine(Rootfs, "dotdots"), "../../..");
    }

    private string Rootfs => _temp.File("rootfs");

    private string Outside => _temp.File("outside");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("slash")]
    [InlineData("dotdots")]
    public void Resolve_LinkLeadingOut_LandsAtTheRoot(string link)
    {
        using var root = TreeRoot.Open(Rootfs);
        using var directory = root.Resolve([link])!;

        Assert.Equal(["absolute", "dotdots", "slash", "up"], directory.List());
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("up")]
    public void Resolve_LinkToAHostDirectory_IsMissingInsideTheTree(string link)
    {
        using var root = TreeRoot.Open(Rootfs);

        Assert.Null(root.Resolve([link]));
    }

    [Fact]
    public void Resolve_CreateThroughALinkToSlash_CreatesInsideTheTree()
    {
        using var root = TreeRoot.Open(Rootfs);
        using var directory = root.Resolve(["slash", "etc", "app"], create: true)!;
        var (temp, file) = directory.CreateTemporary("victim");
        file.Dispose();
        directory.Rename(temp, "victim");

        Assert.True(File.Exists(Path.Combine(Rootfs, "etc", "app", "victim")));
        Assert.Equal("host\n", File.ReadAllText(Path.Combine(Outside, "victim")));
    }

    [Fact]
    public void OpenDirectory_ALink_IsRefusedNotFollowed()
    {
        using var root = TreeRoot.Open(Rootfs);
        using var top = root.Resolve([])!;

        var error = Assert.Throws<TreeException>(() => top.OpenDirectory("slash"));

        Assert.Equal(TreeFault.NotADirectory, error.Fault);
    }
}
