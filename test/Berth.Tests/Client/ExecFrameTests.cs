using System.Text;
using Berth.Client.Exec;
using Berth.Contracts;

namespace Berth.Tests.Client;

public sealed class ExecFrameTests
{
    [Fact]
    public void Encode_Payload_PrefixesChannelByte()
    {
        byte[] message = ExecFrame.Encode(ExecChannel.Stdin, "ls\n"u8);

        Assert.Equal([0, (byte)'l', (byte)'s', (byte)'\n'], message);
    }

    [Fact]
    public void Encode_EmptyPayload_IsChannelByteAlone()
    {
        Assert.Equal([5], ExecFrame.Encode(ExecChannel.StdinClosed, []));
    }

    [Fact]
    public void EncodeResize_ColumnsAndRows_IsAsciiPair()
    {
        byte[] message = ExecFrame.EncodeResize(120, 40);

        Assert.Equal((byte)ExecChannel.Resize, message[0]);
        Assert.Equal("120 40", Encoding.ASCII.GetString(message, 1, message.Length - 1));
    }

    [Fact]
    public void EncodeResize_ZeroSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecFrame.EncodeResize(0, 24));
    }

    [Fact]
    public void TryDecode_StderrMessage_SplitsChannelAndPayload()
    {
        Assert.True(ExecFrame.TryDecode(new byte[] { 2, (byte)'e', (byte)'r' }, out var frame));

        Assert.Equal(ExecChannel.Stderr, frame.Channel);
        Assert.Equal("er", Encoding.ASCII.GetString(frame.Payload.Span));
    }

    [Fact]
    public void TryDecode_EmptyMessage_ReturnsFalse()
    {
        Assert.False(ExecFrame.TryDecode(ReadOnlyMemory<byte>.Empty, out _));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("42", 42)]
    [InlineData("137\n", 137)]
    [InlineData("-1", -1)]
    public void ParseExitCode_AsciiDecimal_ReturnsNumber(string payload, int expected)
    {
        Assert.Equal(expected, ExecFrame.ParseExitCode(Encoding.ASCII.GetBytes(payload)));
    }

    [Fact]
    public void ParseExitCode_NotANumber_ThrowsInvalidData()
    {
        var e = Assert.Throws<InvalidDataException>(() => ExecFrame.ParseExitCode("oops"u8));

        Assert.Contains("oops", e.Message, StringComparison.Ordinal);
    }
}
