using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Every change is a persisted job: 202 with its URL, waitable, listed, and races decided by the store.</summary>
public sealed class JobsTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Launch_Answers202WithJobUrl_AndTheJobCanBeWaitedFor()
    {
        using var http = RawHttp();
        var name = env.Name("raw");
        using var response = await http.PostAsJsonAsync("/api/v1/containers", new { name, image = "busybox" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JobInfo>(BerthJson.Options);
        Assert.NotNull(job);
        Assert.Equal($"/api/v1/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("container.launch", job.Kind);

        var finished = await http.GetFromJsonAsync<JobInfo>($"/api/v1/jobs/{job.Id}?wait=60", BerthJson.Options);
        Assert.Equal(JobStatus.Succeeded, finished!.Status);
        Assert.NotNull(finished.DurationSeconds);
        Assert.Contains(await env.Client.ListJobsAsync(50), j => j.Id == job.Id && j.Status == JobStatus.Succeeded);
    }

    [Fact]
    public async Task ConcurrentLaunches_SameName_OneWinsOtherGets409_NothingHalfMade()
    {
        var name = env.Name("race");
        var attempts = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Job: await env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox" }), Error: (BerthApiException?)null);
            }
            catch (BerthApiException e)
            {
                return (Job: (JobInfo?)null, Error: e);
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Job is not null);
        var loser = Assert.Single(results, r => r.Error is not null);
        Assert.Equal(409, loser.Error!.Status);

        var winner = await env.Client.WaitForJobAsync(results.Single(r => r.Job is not null).Job!);
        Assert.Equal(JobStatus.Succeeded, winner.Status);
        Assert.Single(await env.Client.ListContainersAsync(), c => c.Name == name);
        Assert.Equal("RUNNING", (await Host.RunCheckedAsync("lxc-info", "-n", name, "-P", env.LxcPath, "-s", "-H")).Trim());
    }

    [Fact]
    public async Task Launch_ExistingName_Is409()
    {
        var name = env.Name("dup");
        await env.LaunchAsync(name);
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox" }));
        Assert.Equal(409, error.Status);
    }

    [Theory]
    [InlineData("UPPER", "busybox", 400)]
    [InlineData("-lead", "busybox", 400)]
    [InlineData("has_underscore", "busybox", 400)]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234", "busybox", 400)]
    [InlineData("goodname", "no-such-image", 404)]
    public async Task Launch_BadNameOrImage_IsRefusedAndCreatesNothing(string name, string image, int status)
    {
        var jobsBefore = (await env.Client.ListJobsAsync(1000)).Count;
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = image }));
        Assert.Equal(status, error.Status);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
        Assert.Equal(jobsBefore, (await env.Client.ListJobsAsync(1000)).Count);
    }

    [Fact]
    public async Task Launch_UnknownConfigKey_IsRefusedWith400()
    {
        var name = env.Name("badcfg");
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Config = new Dictionary<string, string> { ["limits.memroy"] = "1GiB" } }));
        Assert.Equal(400, error.Status);
        Assert.Contains("limits.memroy", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task Errors_AreProblemJson()
    {
        using var http = RawHttp();
        using var response = await http.GetAsync($"/api/v1/containers/{env.Name("missing")}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemInfo>(BerthJson.Options);
        Assert.Equal(404, problem!.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        Assert.False(string.IsNullOrEmpty(problem.Detail));

        using var malformed = await http.PostAsync("/api/v1/containers", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);

        using var unknownRoute = await http.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Equal("application/problem+json", unknownRoute.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndDescribesTheContainersApi()
    {
        using var http = RawHttp();
        var document = await http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"/api/v1/containers\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/jobs/{id}\"", document, StringComparison.Ordinal);
    }

    private HttpClient RawHttp()
    {
        var socket = Path.Combine(env.StateDir, "unix.socket");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth") };
    }
}
