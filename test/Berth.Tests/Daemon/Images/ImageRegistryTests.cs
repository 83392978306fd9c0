using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Images;

public sealed class ImageRegistryTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Database _database;

    public ImageRegistryTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
    }

    public Task InitializeAsync() => _database.InitialiseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static ImageMetadata Metadata(string alias, string recipe) => new()
    {
        Alias = alias,
        Fingerprint = new ImageDefinition(alias, "debian", "12", recipe).Fingerprint,
        Os = "debian",
        Release = "12",
        Architecture = "x64",
        Recipe = recipe,
        SizeBytes = 123,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Packages = ["init", "nginx-light"],
        LxcProfile = "debian",
        HaltSignal = "SIGRTMIN+3",
    };

    [Fact]
    public async Task AddAsync_PublishedImage_SurvivesReloadWithItsProfileAndCannotBeBuilt()
    {
        var registry = new ImageRegistry(_database, TimeProvider.System);
        await registry.LoadAsync(CancellationToken.None);
        var metadata = Metadata("web", "published app1 2026-11-22T00:00:00Z x");
        await registry.AddAsync(new CustomImage { Alias = "web", Origin = ImageOrigin.Published, Base = "debian/12", CreatedAt = DateTimeOffset.UnixEpoch, Metadata = metadata, Source = "published from app1" }, CancellationToken.None);

        var reloaded = new ImageRegistry(_database, TimeProvider.System);
        await reloaded.LoadAsync(CancellationToken.None);
        var image = reloaded.Require("web");

        Assert.Equal(metadata.Fingerprint, image.Fingerprint);
        Assert.Equal((ImageOrigin.Published, "debian", "SIGRTMIN+3"), (image.Origin, image.LxcProfile, image.HaltSignal));
        Assert.False(image.Buildable);
        Assert.Equal("published from app1", reloaded.CustomOf("web")!.Source);
        Assert.Equal(["init", "nginx-light"], image.Packages);
    }

    [Fact]
    public async Task AddAsync_AliasTaken_IsRefused()
    {
        var registry = new ImageRegistry(_database, TimeProvider.System);
        await registry.LoadAsync(CancellationToken.None);
        var custom = new CustomImage { Alias = "web", Origin = ImageOrigin.Imported, CreatedAt = DateTimeOffset.UnixEpoch, Metadata = Metadata("web", "r1") };
        await registry.AddAsync(custom, CancellationToken.None);

        var problem = await Assert.ThrowsAsync<DomainError>(() => registry.AddAsync(custom with { Metadata = Metadata("web", "r2") }, CancellationToken.None));

        Assert.Equal(ErrorKind.Conflict, problem.Kind);
        Assert.Equal(Metadata("web", "r1").Fingerprint, registry.Require("web").Fingerprint);
    }

    [Theory]
    [InlineData("debian/12", 409)]
    [InlineData("Bad Alias", 400)]
    [InlineData("", 400)]
    public void RequireFreeAlias_TakenOrMalformed_IsRefused(string alias, int status)
    {
        var registry = new ImageRegistry(_database, TimeProvider.System);

        Assert.Equal(status, Berth.Daemon.Api.ProblemMapping.StatusOf(Assert.Throws<DomainError>(() => registry.RequireFreeAlias(alias)).Kind));
    }

    [Fact]
    public async Task DefineAsync_PackagesImage_StillDefinedFromItsBase()
    {
        var registry = new ImageRegistry(_database, TimeProvider.System);
        await registry.LoadAsync(CancellationToken.None);
        await registry.DefineAsync("debian/12", ["curl"], "tools", CancellationToken.None);

        var reloaded = new ImageRegistry(_database, TimeProvider.System);
        await reloaded.LoadAsync(CancellationToken.None);

        Assert.Equal((ImageOrigin.Packages, true), (reloaded.Require("tools").Origin, reloaded.Require("tools").Buildable));
        Assert.Contains("curl", reloaded.Require("tools").Packages);
    }
}
