using Berth.Contracts;
using Berth.Daemon.Hosting;
using Berth.Daemon.Store;

namespace Berth.Tests.Daemon.Store;

public sealed class JobStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly Database _database;
    private readonly JobStore _store;

    public JobStoreTests()
    {
        _database = new Database(new StatePaths(new BerthOptions { StateDir = _dir.Path }));
        _store = new JobStore(_database);
    }

    public Task InitializeAsync() => _database.InitialiseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static JobRecord Job(string id, DateTimeOffset? created = null, JobStatus status = JobStatus.Queued) => new()
    {
        Id = id,
        Kind = "container.launch",
        Target = "web",
        Status = status,
        Args = """{"image":"busybox"}""",
        CreatedAt = created ?? Created,
    };

    [Fact]
    public async Task DeleteFinishedBeforeAsync_OldFinishedJobs_AreGone_RunningAndRecentStay()
    {
        foreach (var id in new[] { "old-ok", "old-failed", "old-running", "new-ok" })
        {
            await _store.InsertAsync(Job(id));
        }

        await _store.MarkFinishedAsync("old-ok", JobStatus.Succeeded, null, Created.AddDays(1));
        await _store.MarkFinishedAsync("old-failed", JobStatus.Failed, "boom", Created.AddDays(1));
        await _store.MarkRunningAsync("old-running", Created.AddDays(1));
        await _store.MarkFinishedAsync("new-ok", JobStatus.Succeeded, null, Created.AddDays(20));

        Assert.Equal(2, await _store.DeleteFinishedBeforeAsync(Created.AddDays(10)));

        Assert.Null(await _store.GetAsync("old-ok"));
        Assert.Null(await _store.GetAsync("old-failed"));
        Assert.NotNull(await _store.GetAsync("old-running"));
        Assert.NotNull(await _store.GetAsync("new-ok"));
    }

    [Fact]
    public async Task InsertAsync_ThenGet_RoundTrips()
    {
        var job = Job("j1");

        await _store.InsertAsync(job);

        Assert.Equal(job, await _store.GetAsync("j1"));
    }

    [Fact]
    public async Task GetAsync_Unknown_Null()
    {
        Assert.Null(await _store.GetAsync("nope"));
    }

    [Fact]
    public async Task MarkRunningThenFinished_RoundTripsTimestampsAndDuration()
    {
        await _store.InsertAsync(Job("j1"));
        var started = Created.AddSeconds(2);
        var finished = started.AddMilliseconds(1500);

        await _store.MarkRunningAsync("j1", started);
        var running = await _store.GetAsync("j1");
        await _store.MarkFinishedAsync("j1", JobStatus.Failed, "boom", finished);
        var done = await _store.GetAsync("j1");

        Assert.Equal(JobStatus.Running, running!.Status);
        Assert.Equal(started, running.StartedAt);
        Assert.Null(running.FinishedAt);
        Assert.Null(running.ToInfo().DurationSeconds);

        Assert.Equal(JobStatus.Failed, done!.Status);
        Assert.Equal("boom", done.Error);
        Assert.Equal(Created, done.CreatedAt);
        Assert.Equal(started, done.StartedAt);
        Assert.Equal(finished, done.FinishedAt);
        var info = done.ToInfo();
        Assert.Equal(1.5, info.DurationSeconds);
        Assert.Equal("/api/v1/jobs/j1", info.Url);
    }

    [Fact]
    public async Task MarkFinishedAsync_NeverStarted_StartedAtIsFinishTime()
    {
        await _store.InsertAsync(Job("j1"));
        var at = Created.AddMinutes(1);

        await _store.MarkFinishedAsync("j1", JobStatus.Succeeded, null, at);

        var job = await _store.GetAsync("j1");
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        Assert.Equal(at, job.StartedAt);
        Assert.Equal(at, job.FinishedAt);
        Assert.Equal(0, job.ToInfo().DurationSeconds);
    }

    [Fact]
    public async Task SetProgressAsync_Message_Stored()
    {
        await _store.InsertAsync(Job("j1"));

        await _store.SetProgressAsync("j1", "debootstrap: unpacking");

        Assert.Equal("debootstrap: unpacking", (await _store.GetAsync("j1"))!.Progress);
    }

    [Fact]
    public async Task ListByStatusAsync_Mixed_OnlyThatStatusOldestFirst()
    {
        await _store.InsertAsync(Job("late", Created.AddMinutes(2)));
        await _store.InsertAsync(Job("early", Created));
        await _store.InsertAsync(Job("running", Created.AddMinutes(1), JobStatus.Running));

        var queued = await _store.ListByStatusAsync(JobStatus.Queued);

        Assert.Equal(["early", "late"], queued.Select(j => j.Id));
    }

    [Fact]
    public async Task ListRecentAsync_Limit_NewestFirst()
    {
        await _store.InsertAsync(Job("a", Created));
        await _store.InsertAsync(Job("b", Created.AddMinutes(1)));
        await _store.InsertAsync(Job("c", Created.AddMinutes(2)));

        var recent = await _store.ListRecentAsync(2);

        Assert.Equal(["c", "b"], recent.Select(j => j.Id));
    }
}
