using Berth.Cli;
using Berth.Cli.Input;

namespace Berth.Tests.Cli;

public sealed class KeyValueArgumentsTests
{
    [Fact]
    public void ParseMap_Pairs_SplitsAtFirstEquals()
    {
        var map = KeyValueArguments.ParseMap(["limits.memory=256MiB", "user.note=a=b", "boot.autostart="], "config");

        Assert.Equal("256MiB", map["limits.memory"]);
        Assert.Equal("a=b", map["user.note"]);
        Assert.Equal("", map["boot.autostart"]);
    }

    [Fact]
    public void ParseMap_NoEquals_ThrowsNamingTheArgument()
    {
        var e = Assert.Throws<CliException>(() => KeyValueArguments.ParseMap(["limits.memory"], "config"));

        Assert.Equal("invalid config 'limits.memory': expected KEY=VALUE", e.Message);
    }

    [Fact]
    public void ParseMap_EmptyKey_Throws()
    {
        var e = Assert.Throws<CliException>(() => KeyValueArguments.ParseMap(["=1"], "config"));

        Assert.Equal("invalid config '=1': the key before '=' is empty", e.Message);
    }

    [Fact]
    public void ParseMap_SameKeyTwice_Throws()
    {
        var e = Assert.Throws<CliException>(() => KeyValueArguments.ParseMap(["a=1", "a=2"], "config"));

        Assert.Equal("config key 'a' is given twice", e.Message);
    }

    [Fact]
    public void ParseKeys_KeyWithValue_ThrowsAskingForTheKeyAlone()
    {
        var e = Assert.Throws<CliException>(() => KeyValueArguments.ParseKeys(["limits.cpu", "limits.memory=1GiB"], "config"));

        Assert.Equal("invalid config key 'limits.memory=1GiB': give the key alone, without '=VALUE'", e.Message);
    }

    [Fact]
    public void ParseKeys_Keys_ReturnsThemInOrder()
    {
        Assert.Equal(["limits.cpu", "limits.memory"], KeyValueArguments.ParseKeys(["limits.cpu", "limits.memory"], "config"));
    }
}
