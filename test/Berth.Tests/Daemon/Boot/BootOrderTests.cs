using Berth.Daemon.Boot;
using Berth.Daemon.Containers;
using Berth.Daemon.Store;

namespace Berth.Tests.Daemon.Boot;

public sealed class BootOrderTests
{
    private static ContainerRecord Container(string name, bool autostart = true, int? order = null, string status = ContainerRecordStatus.Ready)
    {
        var config = new Dictionary<string, string>();
        if (autostart)
        {
            config[ContainerConfig.BootAutostart] = "true";
        }

        if (order is not null)
        {
            config[ContainerConfig.BootAutostartOrder] = order.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ContainerRecord
        {
            Name = name,
            Image = "busybox",
            Status = status,
            Privileged = false,
            Config = config,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    [Fact]
    public void Autostart_DifferentOrders_LowerFirst()
    {
        var result = BootOrder.Autostart([Container("a", order: 10), Container("b", order: -1), Container("c", order: 5)]);

        Assert.Equal(["b", "c", "a"], result.Select(c => c.Name));
    }

    [Fact]
    public void Autostart_SameOrder_ByNameOrdinal()
    {
        var result = BootOrder.Autostart([Container("web", order: 1), Container("db", order: 1), Container("cache", order: 1), Container("app")]);

        Assert.Equal(["app", "cache", "db", "web"], result.Select(c => c.Name));
    }

    [Fact]
    public void Autostart_UnsetOrder_TreatedAsZero()
    {
        var result = BootOrder.Autostart([Container("z", order: 1), Container("m"), Container("a", order: -1)]);

        Assert.Equal(["a", "m", "z"], result.Select(c => c.Name));
    }

    [Fact]
    public void Autostart_NotAutostartOrNotReady_Excluded()
    {
        var explicitFalse = Container("off") with { Config = new Dictionary<string, string> { [ContainerConfig.BootAutostart] = "false" } };

        var result = BootOrder.Autostart(
        [
            Container("plain", autostart: false),
            explicitFalse,
            Container("creating", status: ContainerRecordStatus.Creating),
            Container("deleting", status: ContainerRecordStatus.Deleting),
            Container("web"),
        ]);

        Assert.Equal(["web"], result.Select(c => c.Name));
    }

    [Fact]
    public void Autostart_None_Empty()
    {
        Assert.Empty(BootOrder.Autostart([]));
    }
}
