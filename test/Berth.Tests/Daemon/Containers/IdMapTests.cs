using Berth.Daemon.Containers;

namespace Berth.Tests.Daemon.Containers;

public sealed class IdMapTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, params string[] lines)
    {
        var path = _dir.File(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void FirstRange_MissingFile_Null()
    {
        Assert.Null(IdMap.FirstRange(_dir.File("absent")));
    }

    [Fact]
    public void FirstRange_NoRootEntry_Null()
    {
        var path = Write("subuid", "alice:100000:65536", "bob:165536:65536");

        Assert.Null(IdMap.FirstRange(path));
    }

    [Fact]
    public void FirstRange_RootRangeTooSmall_Null()
    {
        var path = Write("subuid", "root:100000:65535");

        Assert.Null(IdMap.FirstRange(path));
    }

    [Fact]
    public void FirstRange_SmallRangeThenLargeOne_ReturnsLargeOne()
    {
        var path = Write("subuid", "root:100000:1000", "alice:200000:65536", "root:300000:65536");

        Assert.Equal(300000, IdMap.FirstRange(path));
    }

    [Fact]
    public void FirstRange_UserZero_Accepted()
    {
        var path = Write("subuid", "0:400000:65536");

        Assert.Equal(400000, IdMap.FirstRange(path));
    }

    [Fact]
    public void FirstRange_ValidRoot_ReturnsStart()
    {
        var path = Write("subuid", "alice:100000:65536", "root:1000000:1000000000");

        Assert.Equal(1000000, IdMap.FirstRange(path));
    }

    [Fact]
    public void FirstRange_MalformedLines_Skipped()
    {
        var path = Write("subuid", "", "# comment", "root:x:65536", "root:100000", "root:-5:65536", "rooty:1:65536", "root:500000:65536");

        Assert.Equal(500000, IdMap.FirstRange(path));
    }

    [Fact]
    public void ReadHost_BothFilesValid_MapsContainerRange()
    {
        var subuid = Write("subuid", "root:100000:65536");
        var subgid = Write("subgid", "root:200000:131072");

        var map = IdMap.ReadHost(subuid, subgid);

        Assert.Equal(new IdMap(100000, 200000, IdMap.ContainerRange), map);
        Assert.Equal("u 0 100000 65536, g 0 200000 65536", map!.ToString());
    }

    [Fact]
    public void ReadHost_NoRootInSubgid_Null()
    {
        var subuid = Write("subuid", "root:100000:65536");
        var subgid = Write("subgid", "alice:100000:65536");

        Assert.Null(IdMap.ReadHost(subuid, subgid));
    }

    [Fact]
    public void ReadHost_SubuidMissing_Null()
    {
        var subgid = Write("subgid", "root:100000:65536");

        Assert.Null(IdMap.ReadHost(_dir.File("absent"), subgid));
    }
}
