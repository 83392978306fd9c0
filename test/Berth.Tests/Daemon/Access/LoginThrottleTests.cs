using System.Net;
using Berth.Daemon.Access;

namespace Berth.Tests.Daemon.Access;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress Local = IPAddress.Loopback;

    [Fact]
    public void Admit_BelowThreshold_EveryAttemptIsChecked()
    {
        var throttle = new LoginThrottle(new ManualTime());

        for (var i = 0; i < LoginThrottle.AddressThreshold - 1; i++)
        {
            Assert.Null(throttle.Admit("admin", Local));
            throttle.Failed("admin", Local);
        }

        Assert.Null(throttle.Admit("admin", Local));
    }

    [Fact]
    public void Admit_AfterThreshold_OtherAttemptsWaitUntilTheNextProbe()
    {
        var time = new ManualTime();
        var throttle = new LoginThrottle(time);
        FailTimes(throttle, "admin", Local, LoginThrottle.AddressThreshold);

        var wait = throttle.Admit("admin", Local);

        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromTicks(1), LoginThrottle.MaxProbeInterval);
        time.Advance(wait.Value);
        Assert.Null(throttle.Admit("admin", Local));
        Assert.NotNull(throttle.Admit("admin", Local));
    }

    [Fact]
    public void Admit_GuesserUsesEveryProbe_IntervalDoublesUpToTheCap()
    {
        var time = new ManualTime();
        var throttle = new LoginThrottle(time);
        FailTimes(throttle, "admin", Local, LoginThrottle.AddressThreshold);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            var wait = throttle.Admit("admin", Local)!.Value;
            waits.Add(wait);
            time.Advance(wait);
            Assert.Null(throttle.Admit("admin", Local));
            throttle.Failed("admin", Local);
        }

        Assert.True(waits.Zip(waits.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", waits));
        Assert.Equal(LoginThrottle.MaxProbeInterval, waits[^1]);
    }

    [Fact]
    public void Admit_UnderSustainedAttack_TheRightCredentialGetsInWithinOneMaxInterval()
    {
        // The guesser fails 1000 times from the owner's own address; the owner then waits at most the cap, never the window.
        var time = new ManualTime();
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < 1000; i++)
        {
            if (throttle.Admit("admin", Local) is { } wait)
            {
                time.Advance(wait);
                Assert.Null(throttle.Admit("admin", Local));
            }

            throttle.Failed("admin", Local);
        }

        var ownerWait = throttle.Admit("admin", Local);

        Assert.NotNull(ownerWait);
        Assert.True(ownerWait <= LoginThrottle.MaxProbeInterval, ownerWait.ToString());
        time.Advance(ownerWait.Value);
        Assert.Null(throttle.Admit("admin", Local));
    }

    [Fact]
    public void Admit_ManyAddressesOnOneAccount_AreBoundByTheAccountCount()
    {
        var time = new ManualTime();
        var throttle = new LoginThrottle(time);
        for (var i = 0; i < LoginThrottle.AccountThreshold; i++)
        {
            var address = IPAddress.Parse($"127.0.0.{(i + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            Assert.Null(throttle.Admit("admin", address));
            throttle.Failed("admin", address);
        }

        Assert.NotNull(throttle.Admit("admin", IPAddress.Parse("127.0.1.1")));
        Assert.Null(throttle.Admit("other", IPAddress.Parse("127.0.1.1")));
    }

    [Fact]
    public void Admit_OneAddressSprayingAccounts_IsBoundByTheAddressCount()
    {
        var throttle = new LoginThrottle(new ManualTime());
        for (var i = 0; i < LoginThrottle.AddressThreshold; i++)
        {
            Assert.Null(throttle.Admit("account" + i, Local));
            throttle.Failed("account" + i, Local);
        }

        Assert.NotNull(throttle.Admit("fresh", Local));
        Assert.Null(throttle.Admit("fresh", IPAddress.Parse("127.0.0.9")));
    }

    [Fact]
    public void Admit_WindowAfterTheLastFailure_CountsFade()
    {
        var time = new ManualTime();
        var throttle = new LoginThrottle(time);
        FailTimes(throttle, "admin", Local, 50);
        Assert.NotNull(throttle.Admit("admin", Local));

        time.Advance(LoginThrottle.Window + TimeSpan.FromSeconds(1));

        Assert.Null(throttle.Admit("admin", Local));
        Assert.Null(throttle.Admit("admin", Local));
    }

    [Fact]
    public void Admit_RecognisedDevice_IsNotHeldBackByOthersFailures_UntilItFailsItself()
    {
        var throttle = new LoginThrottle(new ManualTime());
        FailTimes(throttle, "admin", Local, 100);
        Assert.NotNull(throttle.Admit("admin", Local));

        Assert.Null(throttle.Admit("admin", Local, "device-1"));
        for (var i = 0; i < LoginThrottle.DeviceThreshold; i++)
        {
            throttle.Failed("admin", Local, "device-1");
        }

        Assert.NotNull(throttle.Admit("admin", Local, "device-1"));
        Assert.Null(throttle.Admit("admin", Local, "device-2"));
    }

    private static void FailTimes(LoginThrottle throttle, string account, IPAddress address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            throttle.Failed(account, address);
        }
    }
}
