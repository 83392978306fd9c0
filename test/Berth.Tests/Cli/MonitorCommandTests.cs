using Berth.Cli.Commands;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Tests.Cli;

public sealed class MonitorCommandTests
{
    private static readonly DateTimeOffset Time = new(2025, 1, 2, 10, 11, 12, TimeSpan.Zero);

    [Fact]
    public void FormatLine_EventWithMessage_PrintsTimeTypeActionTargetMessage()
    {
        var entry = new BerthEvent { Seq = 1, Type = "job", Action = "job.failed", Target = "web", Time = Time, Message = "lxc-start failed:\nno cgroup" };

        Assert.Equal($"{HumanTime.Format(Time)} job       job.failed             web lxc-start failed: no cgroup", MonitorCommand.FormatLine(entry));
    }

    [Fact]
    public void FormatLine_EventWithoutMessage_EndsAtTarget()
    {
        var entry = new BerthEvent { Seq = 2, Type = "lifecycle", Action = "container.started", Target = "web", Time = Time };

        Assert.Equal($"{HumanTime.Format(Time)} lifecycle container.started      web", MonitorCommand.FormatLine(entry));
    }
}
