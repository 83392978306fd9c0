using Berth.Daemon.Access;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Access;

public sealed class LoginDevicesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTime _time = new();
    private readonly LoginDevices _devices;

    public LoginDevicesTests() => _devices = new LoginDevices(new AdminToken(new StatePaths(new BerthOptions { StateDir = _dir.Path })), _time);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Recognise_IssuedCookie_GivesItsDeviceId()
    {
        var cookie = _devices.Issue("admin", out var expires);

        Assert.NotNull(_devices.Recognise(cookie, "admin"));
        Assert.Equal(_time.GetUtcNow() + LoginDevices.Lifetime, expires);
        Assert.NotEqual(_devices.Recognise(cookie, "admin"), _devices.Recognise(_devices.Issue("admin", out _), "admin"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b.c")]
    [InlineData("YWRtaW4.99999999999.AAAA.forged")]
    public void Recognise_NotIssuedHere_IsNull(string? cookie) => Assert.Null(_devices.Recognise(cookie, "admin"));

    [Fact]
    public void Recognise_OtherAccountTamperedOrExpired_IsNull()
    {
        var cookie = _devices.Issue("admin", out _);
        var parts = cookie.Split('.');

        Assert.Null(_devices.Recognise(cookie, "member"));
        Assert.Null(_devices.Recognise(string.Join('.', parts[0], "99999999999", parts[2], parts[3]), "admin"));
        _time.Advance(LoginDevices.Lifetime);
        Assert.Null(_devices.Recognise(cookie, "admin"));
    }

    [Fact]
    public void Recognise_AfterTheTokenIsReplaced_IsNull()
    {
        var cookie = _devices.Issue("admin", out _);
        File.WriteAllText(Path.Combine(_dir.Path, "admin.token"), "a-new-token\n");
        var renewed = new LoginDevices(new AdminToken(new StatePaths(new BerthOptions { StateDir = _dir.Path })), _time);

        Assert.Null(renewed.Recognise(cookie, "admin"));
    }
}
