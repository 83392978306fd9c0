using Berth.Cli.Tty;

namespace Berth.Tests.Cli;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'l', (byte)'s', 0x01, (byte)'q', (byte)'x' }, new byte[] { (byte)'l', (byte)'s' }, true)]
    [InlineData(new byte[] { 0x01, (byte)'a' }, new byte[] { 0x01 }, false)]
    [InlineData(new byte[] { 0x01, 0x01 }, new byte[] { 0x01 }, false)]
    [InlineData(new byte[] { 0x01, (byte)'c' }, new byte[] { 0x01, (byte)'c' }, false)]
    [InlineData(new byte[] { (byte)'q' }, new byte[] { (byte)'q' }, false)]
    public void Filter_CtrlAThenKey_SendsOrDetachesAsLxcConsoleDoes(byte[] typed, byte[] sent, bool detach)
    {
        var output = new List<byte>();
        Assert.Equal(detach, new DetachKeys().Filter(typed, output));
        Assert.Equal(sent, output);
    }

    [Fact]
    public void Filter_CtrlAAndQInSeparateReads_StillDetaches()
    {
        var keys = new DetachKeys();
        var output = new List<byte>();
        Assert.False(keys.Filter([0x01], output));
        Assert.True(keys.Filter([(byte)'q'], output));
        Assert.Empty(output);
    }
}
