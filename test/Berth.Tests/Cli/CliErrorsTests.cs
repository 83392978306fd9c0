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

    [Theory]
    [InlineData("Container not found", "there is no container named 'web'; GET /api/v1/containers lists the containers there are.", "'berth list' shows the containers there are")]
    [InlineData("Job not found", "there is no job 'j1'; GET /api/v1/jobs lists recent jobs.", "'berth jobs' lists recent jobs")]
    [InlineData("Container busy", "'web' is being changed by another job; wait for it (GET /api/v1/jobs).", "wait for its job: 'berth jobs'")]
    [InlineData("Container frozen", "'web' is frozen; unfreeze it first.", "'berth unfreeze NAME' unfreezes it")]
    [InlineData("Host service port", "port 22 is the host's ssh; give force: true to forward it anyway.", "berth forward add --force forwards it anyway")]
    public void Report_KnownTitle_AddsTheCliHintAfterTheApiDetail(string title, string detail, string hint)
    {
        using var error = new StringWriter();

        CliErrors.Report(new BerthApiException(404, title, detail), error, CancellationToken.None);

        Assert.Equal($"berth: error: {detail} ({hint})\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_DetailNamingAField_SaysWhichFlagSetsIt()
    {
        using var error = new StringWriter();

        CliErrors.Report(new BerthApiException(409, "Container is running", "'web' is running; stop it first or delete with force: true."), error, CancellationToken.None);

        Assert.Equal("berth: error: 'web' is running; stop it first or delete with force: true. (--force sets force: true)\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Report_UnknownTitle_AddsNoHint()
    {
        using var error = new StringWriter();

        CliErrors.Report(new BerthApiException(409, "Something else", "it went wrong."), error, CancellationToken.None);

        Assert.Equal("berth: error: it went wrong.\n", error.ToString().ReplaceLineEndings("\n"));
    }
}
