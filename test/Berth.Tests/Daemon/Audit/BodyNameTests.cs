using System.Text;
using Berth.Daemon.Audit;

namespace Berth.Tests.Daemon.Audit;

public sealed class BodyNameTests
{
    private static string? In(string json) => BodyName.In(Encoding.UTF8.GetBytes(json), BodyName.Created);

    [Fact]
    public void In_NameOfACreate_IsFound() => Assert.Equal("web", In("""{"image":"busybox","name":"web"}"""));

    [Theory]
    [InlineData("""{"name":"\ud800","image":"busybox"}""")]
    [InlineData("""{"name":""")]
    [InlineData("""not json""")]
    [InlineData("""["name"]""")]
    public void In_BodyTheEndpointWillRefuse_HasNoName_AndDoesNotThrow(string json) => Assert.Null(In(json));
}
