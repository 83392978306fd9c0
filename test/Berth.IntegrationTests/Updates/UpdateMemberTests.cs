using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Updates;

/// <summary>Members update, and see the updates of, their own containers only; host paths of logs are for admins.</summary>
public sealed class UpdateMemberTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Member_UpdatesOwnContainer_AnothersIs404_AndChangesNothing()
    {
        var alice = env.Name("alice");
        var bob = env.Name("bob");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = "alice-password-1" });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = bob, Role = "member", Password = "bob-password-1" });
        using var asAlice = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(alice, new TokenCreateRequest { Name = "t" })).Token);
        using var asBob = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(bob, new TokenCreateRequest { Name = "t" })).Token);

        var hers = env.Name("ahers");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "debian/12", Owner = alice }));
        var repo = new LocalAptRepository(env, hers);
        await repo.InitialiseAsync();
        await repo.AddAsync(1);
        var install = await env.ExecAsync(hers, "sh", "-c", "apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -y install berth-test-pkg");
        Assert.True(install.ExitCode == 0, install.Stderr);
        await repo.AddAsync(2);

        // Bob: her container's updates do not exist for him, and trying changes nothing.
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.RunUpdateAsync(hers))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.GetUpdateStatusAsync(hers, pending: true))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.GetUpdateLogAsync(hers))).Status);
        Assert.DoesNotContain(await asBob.ListUpdateStatusAsync(), s => s.Container == hers);
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Kind == "update.run");
        Assert.Equal("1 install ok installed", await repo.InstalledAsync());

        // Alice updates her own; she sees the run and its log, not the log's host path.
        var job = await env.SucceedAsync(asAlice.RunUpdateAsync(hers));
        Assert.Equal("2 install ok installed", await repo.InstalledAsync());
        var status = Assert.Single(await asAlice.ListUpdateStatusAsync());
        Assert.Equal((hers, job.Id, "succeeded"), (status.Container, status.LastRun?.JobId, status.LastRun?.Result));
        Assert.Null(status.LastRun!.LogPath);
        Assert.Contains("berth-test-pkg", (await asAlice.GetUpdateLogAsync(hers)).Text, StringComparison.Ordinal);
        Assert.NotNull((await env.Client.GetUpdateStatusAsync(hers)).LastRun!.LogPath);

        // Nor may Bob read her log or run it again after it exists.
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.GetUpdateLogAsync(hers))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.RunUpdateAsync(hers))).Status);
        Assert.Single(await env.Client.ListJobsAsync(), j => j.Kind == "update.run");
        await env.ChangeStateAsync(hers, "stop", force: true);
    }
}
