using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Containers;

public sealed class ContainerNameTests
{
    public static TheoryData<string> ValidNames => new()
    {
        "a",
        "web",
        "web-1",
        "a1",
        "db01-primary",
        "a" + new string('b', 61) + "c",
    };

    public static TheoryData<string?> InvalidNames => new()
    {
        null,
        "",
        "Web",
        "WEB",
        "1web",
        "-web",
        "web-",
        "web_1",
        "web.local",
        "../x",
        "a/b",
        "..",
        "web 1",
        " web",
        "web\n",
        "a" + new string('b', 62) + "c",
    };

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Validate_ValidLabel_ReturnsName(string name)
    {
        Assert.True(ContainerName.IsValid(name));
        Assert.Equal(name, ContainerName.Validate(name));
    }

    [Fact]
    public void IsValid_SixtyThreeCharacters_True()
    {
        var name = new string('a', 63);

        Assert.True(ContainerName.IsValid(name));
    }

    [Fact]
    public void IsValid_SixtyFourCharacters_False()
    {
        var name = new string('a', 64);

        Assert.False(ContainerName.IsValid(name));
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Validate_InvalidName_ThrowsBadRequest(string? name)
    {
        Assert.False(ContainerName.IsValid(name));
        var problem = Assert.Throws<DomainError>(() => ContainerName.Validate(name));
        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains("RFC 1123", problem.Message, StringComparison.Ordinal);
    }
}
