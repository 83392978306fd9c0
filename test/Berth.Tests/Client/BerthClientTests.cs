using System.Text.Json;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Tests.Client;

public sealed class BerthClientTests
{
    [Fact]
    public async Task GetServerInfoAsync_NoSocket_ThrowsConnectionExceptionNamingSocket()
    {
        var directory = Directory.CreateTempSubdirectory("berth-test-");
        try
        {
            using var client = new BerthClient(directory.FullName);

            var e = await Assert.ThrowsAsync<BerthConnectionException>(() => client.GetServerInfoAsync());

            Assert.Equal(
                $"cannot reach berthd at {directory.FullName}/unix.socket: is the daemon running? (start it with: berthd --state-dir {directory.FullName})",
                e.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ExecAsync_NoSocket_ThrowsConnectionException()
    {
        var directory = Directory.CreateTempSubdirectory("berth-test-");
        try
        {
            using var client = new BerthClient(directory.FullName);

            var e = await Assert.ThrowsAsync<BerthConnectionException>(() =>
                client.ExecAsync("web", new ExecRequest { Command = ["true"] }, Stream.Null, Stream.Null, Stream.Null));

            Assert.StartsWith("cannot reach berthd at ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DeleteAsync_ProblemAnswer_ThrowsApiExceptionWithDetail()
    {
        await using var daemon = CannedBerthd.Start(CannedResponse.Problem(409, "Container is running", "stop web first, or use --force"));
        using var client = new BerthClient(daemon.StateDirectory);

        var e = await Assert.ThrowsAsync<BerthApiException>(() => client.DeleteAsync("web"));

        Assert.Equal(409, e.Status);
        Assert.Equal("stop web first, or use --force", e.Message);
        Assert.Equal(["DELETE /api/v1/containers/web"], daemon.Requests);
    }

    [Fact]
    public async Task LaunchAsync_Request_PostsCamelCaseJsonAndReadsJob()
    {
        await using var daemon = CannedBerthd.Start(CannedResponse.Job("j1", JobStatus.Queued, httpStatus: 202));
        using var client = new BerthClient(daemon.StateDirectory);

        var job = await client.LaunchAsync(new LaunchRequest { Name = "web", Image = "debian/12", Start = false });

        Assert.Equal("j1", job.Id);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(["POST /api/v1/containers"], daemon.Requests);
        using var body = JsonDocument.Parse(daemon.Bodies[0]);
        Assert.Equal("debian/12", body.RootElement.GetProperty("image").GetString());
        Assert.False(body.RootElement.GetProperty("start").GetBoolean());
    }

    [Fact]
    public async Task WaitForJobAsync_RunningThenSucceeded_PollsWithWaitAndReportsEachState()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Job("j1", JobStatus.Running, progress: "unpacking"),
            CannedResponse.Job("j1", JobStatus.Succeeded, progress: "done"));
        using var client = new BerthClient(daemon.StateDirectory);
        var seen = new List<string?>();
        var queued = new JobInfo { Id = "j1", Kind = "container.launch", Target = "web", Status = JobStatus.Queued, CreatedAt = DateTimeOffset.UnixEpoch };

        var finished = await client.WaitForJobAsync(queued, new InlineProgress(job => seen.Add(job.Progress)));

        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal([null, "unpacking", "done"], seen);
        Assert.Equal(["GET /api/v1/jobs/j1?wait=2", "GET /api/v1/jobs/j1?wait=2"], daemon.Requests);
    }

    [Fact]
    public async Task StreamEventsAsync_EventStream_YieldsEventsThenEnds()
    {
        const string stream =
            ": berth events\n\n" +
            "id: 4\nevent: lifecycle\ndata: {\"seq\":4,\"type\":\"lifecycle\",\"action\":\"container.started\",\"target\":\"web\",\"time\":\"2025-01-01T00:00:00Z\"}\n\n" +
            "id: 5\nevent: job\ndata: {\"seq\":5,\"type\":\"job\",\"action\":\"job.succeeded\",\"target\":\"web\",\"time\":\"2025-01-01T00:00:01Z\",\"jobId\":\"j1\"}\n\n";
        await using var daemon = CannedBerthd.Start(new CannedResponse(200, "text/event-stream", stream));
        using var client = new BerthClient(daemon.StateDirectory);

        var events = new List<BerthEvent>();
        await foreach (var entry in client.StreamEventsAsync(since: 3))
        {
            events.Add(entry);
        }

        Assert.Equal([4L, 5L], events.Select(entry => entry.Seq));
        Assert.Equal("container.started", events[0].Action);
        Assert.Equal("j1", events[1].JobId);
        Assert.Equal(["GET /api/v1/events?since=3"], daemon.Requests);
    }

    [Fact]
    public async Task ExecAsync_UpgradeRefused_ThrowsTheDaemonsProblem()
    {
        await using var daemon = CannedBerthd.Start(
            CannedResponse.Problem(409, "Container not running", "'web' is stopped; start it first."),
            CannedResponse.Problem(409, "Container not running", "'web' is stopped; start it first."));
        using var client = new BerthClient(daemon.StateDirectory);

        var e = await Assert.ThrowsAsync<BerthApiException>(() =>
            client.ExecAsync("web", new ExecRequest { Command = ["true"] }, Stream.Null, Stream.Null, Stream.Null));

        Assert.Equal(409, e.Status);
        Assert.Equal("'web' is stopped; start it first.", e.Message);
        Assert.Equal(["GET /api/v1/containers/web/exec?cmd=true", "GET /api/v1/containers/web/exec?cmd=true"], daemon.Requests);
    }

    [Fact]
    public async Task GetServerInfoAsync_OverHttpWithToken_SendsBearerToken()
    {
        var info = new ServerInfo { Version = "1", StateDir = "/srv/berth", LxcPath = "/srv/berth/containers", CgroupVersion = "2", IdMap = "u 0 100000 65536" };
        await using var daemon = CannedBerthd.StartTcp(CannedResponse.Json(200, info));
        using var client = new BerthClient(daemon.BaseAddress!, "s3cret\n");

        Assert.Equal("1", (await client.GetServerInfoAsync()).Version);

        Assert.Contains("Authorization: Bearer s3cret", daemon.Heads[0].Split("\r\n"));
    }

    [Fact]
    public void FromEnvironment_ExplicitDirectory_UsesItsSocket()
    {
        using var client = BerthClient.FromEnvironment("/srv/berth");

        Assert.Equal("/srv/berth/unix.socket", client.Endpoint);
    }
}
