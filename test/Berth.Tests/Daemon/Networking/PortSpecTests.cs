using Berth.Daemon.Api;
using Berth.Daemon.Networking;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Networking;

public sealed class PortSpecTests
{
    [Fact]
    public void Parse_SinglePort_MapsHostToContainer() =>
        Assert.Equal(("tcp", 8080, 8080, 80, 80), PortSpec.Parse("8080:80/tcp"));

    [Fact]
    public void Parse_EqualRange_KeepsPorts() =>
        Assert.Equal(("udp", 8000, 8010, 8000, 8010), PortSpec.Parse("8000-8010:8000-8010/udp"));

    [Theory]
    [InlineData("8080:80")]
    [InlineData("8080:80/sctp")]
    [InlineData("70000:80/tcp")]
    [InlineData("0:80/tcp")]
    [InlineData("8000-8010:9000-9005/tcp")]
    [InlineData("8000-8010:9000-9010/tcp")]
    [InlineData("a:b/tcp")]
    public void Parse_Invalid_IsBadRequest(string text) =>
        Assert.Equal(ErrorKind.Invalid, Assert.Throws<DomainError>(() => PortSpec.Parse(text)).Kind);
}
