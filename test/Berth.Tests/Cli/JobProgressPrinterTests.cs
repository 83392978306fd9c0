using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Tests.Cli;

public sealed class JobProgressPrinterTests
{
    [Fact]
    public void Report_SameProgressTwice_PrintsItOnce()
    {
        using var error = new StringWriter();
        var printer = new JobProgressPrinter(error);

        printer.Report(Job(null));
        printer.Report(Job("building debian/12: debootstrap"));
        printer.Report(Job("building debian/12: debootstrap"));
        printer.Report(Job("starting web"));

        Assert.Equal("building debian/12: debootstrap\nstarting web\n", error.ToString().ReplaceLineEndings("\n"));
    }

    private static JobInfo Job(string? progress) => new()
    {
        Id = "j1",
        Kind = "container.launch",
        Target = "web",
        Status = JobStatus.Running,
        Progress = progress,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
