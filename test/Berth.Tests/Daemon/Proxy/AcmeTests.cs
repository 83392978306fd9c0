using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class AcmeTests
{
    [Fact]
    public void Reason_LegoFailure_IsTheProblemWithoutTimestamps()
    {
        const string stderr = """
            2026/12/01 23:16:58 [INFO] [a.test] acme: Trying to solve HTTP-01
            2026/12/01 23:16:58 Could not obtain certificates:
            	error: one or more domains had a problem:
            [a.test] acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: invalid status code 404
            """;
        Assert.Equal("[a.test] acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: invalid status code 404", LegoClient.Reason(stderr));
    }

    [Fact]
    public void Reason_OtherFailure_IsTheLastLine() =>
        Assert.Equal("You have to pass an account (email address) to the program using --email or -m", LegoClient.Reason("2026/12/01 23:16:01 You have to pass an account (email address) to the program using --email or -m\n"));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(10, 360)]
    [InlineData(100, 360)]
    public void Backoff_DoublesUpToTheMaximum(int failures, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), AcmeService.Backoff(failures, TimeSpan.FromMinutes(5), TimeSpan.FromHours(6)));

    [Fact]
    public void RenewAt_IsTwoThirdsIntoTheLifetime()
    {
        var start = new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var certificate = new ProxyCertificate { Name = "a", Domains = ["a.test"], NotBefore = start, NotAfter = start.AddDays(45), Fingerprint = "00", CreatedAt = start };
        Assert.Equal(start.AddDays(30), certificate.RenewAt);
    }
}
