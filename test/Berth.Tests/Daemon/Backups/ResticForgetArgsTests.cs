using Berth.Daemon.Backups.Policy;

namespace Berth.Tests.Daemon.Backups;

public sealed class ResticForgetArgsTests
{
    private static readonly DateTimeOffset Time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_Forgotten_NamesTheIdsAfterTheEndOfOptions()
    {
        var id = new string('a', 64);
        var args = ResticForgetArgs.For(new KeepSelection([new KeptBackup("0123abcd", Time, "last")], [id, "89ef0123"]));
        Assert.Equal(["forget", "--", id, "89ef0123"], args);
    }

    [Fact]
    public void For_NothingForgotten_IsEmpty() =>
        Assert.Empty(ResticForgetArgs.For(new KeepSelection([new KeptBackup("0123abcd", Time, "last")], [])));

    [Theory]
    [InlineData("--keep-last=0")]
    [InlineData("latest")]
    [InlineData("0123ABCD")]
    [InlineData("0123abc")]
    [InlineData("0123abcd 89ef0123")]
    public void For_NotASnapshotId_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => ResticForgetArgs.For(new KeepSelection([], [id])));
}
