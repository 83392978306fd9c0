using Berth.Daemon.Images;

namespace Berth.Tests.Daemon.Images;

public sealed class ImageCatalogTests
{
    [Fact]
    public void All_Aliases_Unique()
    {
        var aliases = ImageCatalog.All.Select(i => i.Alias).ToList();

        Assert.NotEmpty(aliases);
        Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_Fingerprints_SixtyFourLowercaseHexAndDistinct()
    {
        foreach (var image in ImageCatalog.All)
        {
            Assert.Matches("^[0-9a-f]{64}$", image.Fingerprint);
        }

        Assert.Equal(ImageCatalog.All.Count, ImageCatalog.All.Select(i => i.Fingerprint).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Find_KnownAliases_ReturnDefinitions()
    {
        Assert.Equal("SIGUSR1", ImageCatalog.Find("busybox")?.HaltSignal);
        var debian = ImageCatalog.Find("debian/12");
        Assert.NotNull(debian);
        Assert.Equal("bookworm", debian.Suite);
        Assert.Equal("debian", debian.LxcProfile);
        Assert.Contains("init", debian.Packages);
        Assert.Equal("bullseye", ImageCatalog.Find("debian/11")?.Suite);
    }

    [Theory]
    [InlineData("ubuntu/24.04")]
    [InlineData("BUSYBOX")]
    [InlineData("")]
    public void Find_UnknownAlias_Null(string alias)
    {
        Assert.Null(ImageCatalog.Find(alias));
    }

    [Fact]
    public void Fingerprint_SameRecipe_SameHash()
    {
        var a = new ImageDefinition("x", "os", "1", "recipe");
        var b = new ImageDefinition("y", "os", "1", "recipe");

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, new ImageDefinition("x", "os", "1", "recipe v2").Fingerprint);
    }
}
