using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Containers;

public sealed class ValueGrammarTests
{
    [Theory]
    [InlineData("SIGUSR1")]
    [InlineData("SIGPWR")]
    [InlineData("SIGRTMIN+3")]
    [InlineData("SIGRTMAX-1")]
    public void HaltSignal_SignalNames_AreValid(string value) => Assert.True(HaltSignal.IsValid(value));

    [Theory]
    [InlineData("SIGUSR1\nlxc.hook.pre-start = /bin/touch /tmp/x")]
    [InlineData("SIGUSR1\n")]
    [InlineData("sigusr1")]
    [InlineData("10")]
    [InlineData("SIGRTMIN+0")]
    [InlineData("SIGRTMIN+31")]
    [InlineData("SIGRTMIN+03")]
    [InlineData("SIGRTMIN+ 3")]
    [InlineData("")]
    public void HaltSignal_Others_AreRefused(string value) => Assert.NotNull(HaltSignal.Problem(value));

    [Theory]
    [InlineData("../../../../tmp/x")]
    [InlineData("debian\nlxc.hook.pre-start = /bin/touch /tmp/x")]
    [InlineData("nonexistent")]
    [InlineData("Debian")]
    [InlineData("")]
    public void LxcProfile_OutsideTheKnownSet_IsRefused(string value) => Assert.NotNull(LxcProfile.Problem(value));

    [Fact]
    public void LxcProfile_KnownButNotInstalled_IsRefused()
    {
        var error = LxcProfile.Problem("debian", sharedConfig: "/nonexistent");
        Assert.Contains("no debian profile", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limits.cpu", "0,\n1")]
    [InlineData("limits.cpu", "0, 1")]
    [InlineData("limits.memory", "256\nMiB")]
    [InlineData("limits.memory", "256MiB\0")]
    [InlineData("snapshots.schedule", "@daily\nlxc.hook.pre-start = /bin/true")]
    [InlineData("snapshots.expiry", "7d\n")]
    [InlineData("boot.autostart", "true\u001b")]
    public void ConfigApply_ControlCharactersOrSpacesInside_AreRefused(string key, string value)
    {
        var error = Assert.Throws<DomainError>(() => ContainerConfig.Apply(new Dictionary<string, string>(), new Dictionary<string, string> { [key] = value }, null, atLaunch: true, new HostCgroups()));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigApply_HugeValue_IsRefused() =>
        Assert.Throws<DomainError>(() => ContainerConfig.Apply(new Dictionary<string, string>(), new Dictionary<string, string> { ["limits.cpu"] = string.Join(",", Enumerable.Repeat("0", 5000)) }, null, atLaunch: true, new HostCgroups()));

    [Fact]
    public void ControlCharacters_Visible_ShowsThemEscaped() =>
        Assert.Equal("a\\nb\\0c\\x1b", ControlCharacters.Visible("a\nb\0c\u001b"));

    [Fact]
    public void ContainerNotFound_ImpossibleName_SaysWhatNamesLookLike()
    {
        var problem = Berth.Daemon.Containers.ContainerName.NotFound("\0");
        Assert.Equal(ErrorKind.Invalid, problem.Kind);
        Assert.Contains("RFC 1123", problem.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.NotFound, Berth.Daemon.Containers.ContainerName.NotFound("web").Kind);
    }
}
