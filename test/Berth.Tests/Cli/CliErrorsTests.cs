using Berth.Cli;
using Berth.Client;

namespace Berth.Tests.Cli;

public sealed class CliErrorsTests
{
    [Fact]
    public void Report_ApiException_WritesOneLineAndReturnsOne()
    {
        using var error = new StringWriter();

        int exitCode = CliErrors.Report(new BerthApiException(409, "Conflict", "container web is running"), error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Equal("berth: error: container web is running\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_Unauthorized_AddsTokenHint()
    {
        using var error = new StringWriter();

        CliErrors.Report(new BerthApiException(401, "Authentication required", "send the admin token"), error, CancellationToken.None);

        Assert.Equal(
            "berth: error: send the admin token (berth sends a remote's token from 'berth remote add', or BERTH_TOKEN over BERTH_URL: a token from 'berth token create' or the admin token)\n",
            error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_MultiLineMessage_JoinsIntoOneLine()
    {
        using var error = new StringWriter();

        CliErrors.Report(new CliException("lxc-start failed:\n  cgroup busy\r\n\n"), error, CancellationToken.None);

        Assert.Equal("berth: error: lxc-start failed: cgroup busy\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_CancelledByUser_WritesNothingAndReturns130()
    {
        using var error = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        int exitCode = CliErrors.Report(new OperationCanceledException(cancelled.Token), error, cancelled.Token);

        Assert.Equal(130, exitCode);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Report_TimeoutNotFromUser_IsAnError()
    {
        using var error = new StringWriter();

        int exitCode = CliErrors.Report(new TaskCanceledException("timed out"), error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Equal("berth: error: timed out\n", error.ToString().ReplaceLineEndings("\n"));
    }
}
