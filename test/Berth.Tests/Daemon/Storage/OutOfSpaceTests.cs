using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Storage;

public sealed class OutOfSpaceTests
{
    private static readonly StoragePool Pool = new()
    {
        Name = "small",
        Driver = "btrfs",
        Path = "/srv/pools/small",
        SizeBytes = 256L * 1024 * 1024,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void IsCause_ToolThatMetAFullDisk_IsTrue()
    {
        var lines = string.Join('\n', ["cp: error writing 'x': No space left on device", "cp: a", "cp: b", "cp: c"]);
        Assert.True(OutOfSpace.IsCause(new CommandFailedException(new CommandResult("cp", [], 1, "", lines))));
    }

    [Fact]
    public void IsCause_ProblemOrIoErrorQuotingIt_IsTrue()
    {
        Assert.True(OutOfSpace.IsCause(DomainError.Invalid("Corrupt archive", "x is not complete (tar: a: Cannot write: No space left on device)")));
        Assert.True(OutOfSpace.IsCause(new InvalidOperationException("outer", new IOException("No space left on device : '/x'"))));
    }

    [Fact]
    public void IsCause_OtherFailures_IsFalse()
    {
        Assert.False(OutOfSpace.IsCause(new CommandFailedException(new CommandResult("tar", [], 2, "", "tar: Unexpected EOF in archive"))));
        Assert.False(OutOfSpace.IsCause(new IOException("Permission denied")));
        Assert.False(OutOfSpace.IsCause(null));
    }

    [Fact]
    public async Task GuardAsync_FullDisk_NamesThePoolWhatWasUnderWayAndWhatToDo()
    {
        var problem = await Assert.ThrowsAsync<DomainError>(() => OutOfSpace.GuardAsync(Pool, "creating 'web' from debian/12", () =>
            throw new CommandFailedException(new CommandResult("cp", [], 1, "", "cp: error writing 'x': No space left on device"))));
        Assert.Equal(ErrorKind.OutOfSpace, problem.Kind);
        Assert.Equal(
            "pool 'small' ran out of space while creating 'web' from debian/12; nothing was created. Use a larger pool (this one holds 256 MiB) or free space in it.",
            problem.Message);
    }

    [Fact]
    public async Task GuardAsync_OtherFailure_PassesThrough()
    {
        var original = new IOException("Permission denied");
        Assert.Same(original, await Assert.ThrowsAsync<IOException>(() => OutOfSpace.GuardAsync(Pool, "x", () => throw original)));
    }
}
