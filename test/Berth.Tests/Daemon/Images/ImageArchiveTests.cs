using Berth.Daemon.Api;
using Berth.Daemon.Images;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Images;

public sealed class ImageArchiveTests : IDisposable
{
    private const string Sum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ExpectedSha256Async_ChecksumFileNextToArchive_IsRead()
    {
        var file = _dir.File("web.tar.zst");
        await File.WriteAllTextAsync(ImageArchive.ChecksumFile(file), $"{Sum.ToUpperInvariant()}  web.tar.zst\n");

        Assert.Equal(Sum, await ImageArchive.ExpectedSha256Async(file, null, CancellationToken.None));
    }

    [Fact]
    public async Task ExpectedSha256Async_RequestedSum_WinsOverTheFile()
    {
        var file = _dir.File("web.tar.zst");
        await File.WriteAllTextAsync(ImageArchive.ChecksumFile(file), $"{new string('0', 64)}  web.tar.zst\n");

        Assert.Equal(Sum, await ImageArchive.ExpectedSha256Async(file, $" {Sum} ", CancellationToken.None));
    }

    [Fact]
    public async Task ExpectedSha256Async_NoSumAnywhere_IsNull() =>
        Assert.Null(await ImageArchive.ExpectedSha256Async(_dir.File("web.tar.zst"), null, CancellationToken.None));

    [Theory]
    [InlineData("xyz")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g")]
    public async Task ExpectedSha256Async_MalformedSum_IsRefused(string requested)
    {
        var problem = await Assert.ThrowsAsync<DomainError>(() => ImageArchive.ExpectedSha256Async(_dir.File("web.tar.zst"), requested, CancellationToken.None));

        Assert.Equal(ErrorKind.Invalid, problem.Kind);
    }

    [Fact]
    public async Task ExpectedSha256Async_GarbledChecksumFile_IsRefused()
    {
        var file = _dir.File("web.tar.zst");
        await File.WriteAllTextAsync(ImageArchive.ChecksumFile(file), "not a checksum\n");

        Assert.Equal(ErrorKind.Invalid, (await Assert.ThrowsAsync<DomainError>(() => ImageArchive.ExpectedSha256Async(file, null, CancellationToken.None))).Kind);
    }
}
