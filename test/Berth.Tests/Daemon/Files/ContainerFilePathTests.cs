using Berth.Daemon.Errors;
using Berth.Daemon.Files;

namespace Berth.Tests.Daemon.Files;

public sealed class ContainerFilePathTests
{
    [Theory]
    [InlineData("/etc/hosts", "etc/hosts", false)]
    [InlineData("//srv/./app//", "srv/app", true)]
    [InlineData("/", "", false)]
    public void Parse_AbsolutePath_KeepsItsComponents(string path, string components, bool trailingSlash)
    {
        var parsed = ContainerFilePath.Parse(path);

        Assert.Equal(components, string.Join('/', parsed.Components));
        Assert.Equal(trailingSlash, parsed.TrailingSlash);
    }

    [Theory]
    [InlineData(null, "Missing path")]
    [InlineData("", "Missing path")]
    [InlineData("etc/hosts", "Invalid path")]
    [InlineData("/etc/\0x", "Invalid path")]
    [InlineData("/srv/../etc", "Invalid path")]
    public void Parse_BadPath_IsInvalid(string? path, string title)
    {
        var error = Assert.Throws<DomainError>(() => ContainerFilePath.Parse(path));

        Assert.Equal((ErrorKind.Invalid, title), (error.Kind, error.Title));
    }

    [Theory]
    [InlineData("644", 0b110_100_100)]
    [InlineData("0755", 0b111_101_101)]
    [InlineData("4755", 0b100_111_101_101)]
    public void ParseMode_Octal_IsTheBits(string text, int bits) => Assert.Equal((UnixFileMode)bits, FileEntries.ParseMode(text));

    [Theory]
    [InlineData("0999")]
    [InlineData("64")]
    [InlineData("rwx")]
    [InlineData("77777")]
    public void ParseMode_NotAMode_IsNull(string text) => Assert.Null(FileEntries.ParseMode(text));

    [Fact]
    public void IdShift_Shifted_MapsBothWays_AndShowsForeignIdsAsOverflow()
    {
        var shift = new IdShift(100000, 200000, Privileged: false);

        Assert.Equal((101000L, 201000L), (shift.UidToHost(1000), shift.GidToHost(1000)));
        Assert.Equal((1000L, 1000L), (shift.UidFromHost(101000), shift.GidFromHost(201000)));
        Assert.Equal(IdShift.Overflow, shift.UidFromHost(0));
        Assert.Throws<DomainError>(() => shift.Validate(65536, "uid"));
        Assert.Equal(70000L, new IdShift(null, null, Privileged: true).Validate(70000, "uid"));
    }
}
