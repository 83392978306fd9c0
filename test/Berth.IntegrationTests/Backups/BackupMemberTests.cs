using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>Members back up and restore their own containers only; targets and host paths are for admins.</summary>
public sealed class BackupMemberTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Member_BacksUpOwnContainer_CannotSeeOrRestoreAnothers_NorAddTargets()
    {
        var alice = env.Name("alice");
        var bob = env.Name("bob");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = "alice-password-1" });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = bob, Role = "member", Password = "bob-password-1" });
        using var asAlice = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(alice, new TokenCreateRequest { Name = "t" })).Token);
        using var asBob = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(bob, new TokenCreateRequest { Name = "t" })).Token);
        var target = env.Name("mem");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "repo") });

        var hers = env.Name("ahers");
        var his = env.Name("bhis");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "busybox", Owner = alice, Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = his, Image = "busybox", Owner = bob, Start = false }));

        await env.SucceedAsync(asAlice.BackupAsync(hers, new BackupRunRequest()));
        await env.SucceedAsync(asBob.BackupAsync(his, new BackupRunRequest()));
        var herBackup = Assert.Single(await asAlice.ListBackupsAsync());
        Assert.Equal((hers, alice), (herBackup.Container, herBackup.Owner));

        // Bob sees only his own, and her container and backup do not exist for him.
        Assert.Equal([his], (await asBob.ListBackupsAsync()).Select(b => b.Container));
        Assert.Empty(await asBob.ListBackupsAsync(hers));
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.BackupAsync(hers, new BackupRunRequest()))).Status);
        var stolen = env.Name("stolen");
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.RestoreBackupAsync(herBackup.Id, new BackupRestoreRequest { As = stolen }))).Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == stolen);

        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = env.Name("mine"), Url = "/tmp/bob-repo" }))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.ListBackupTargetsAsync())).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.GetBackupTargetKeyAsync(target))).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<BerthApiException>(() => asBob.BackupSystemAsync(new BackupRunRequest()))).Status);
        Assert.False(Directory.Exists("/tmp/bob-repo"));

        // Alice restores her own into a new container, which is hers; a host path is not for her.
        var copy = env.Name("acopy");
        await env.SucceedAsync(asAlice.RestoreBackupAsync(herBackup.Id, new BackupRestoreRequest { As = copy }));
        Assert.Equal(alice, (await env.Client.GetContainerAsync(copy)).Owner);
        var toHost = await Assert.ThrowsAsync<BerthApiException>(() => asAlice.RestoreBackupAsync(herBackup.Id, new BackupRestoreRequest { Path = "/etc", To = env.StateDir }));
        Assert.Equal(403, toHost.Status);

        // Within a quota: with backups=2 (one taken), a second is allowed, a third refused at once and nothing is taken; an admin's is not limited.
        await env.Client.UpdateQuotaAsync(alice, new QuotaUpdateRequest { Set = new Dictionary<string, string> { ["backups"] = "2" } });
        Assert.Equal(1, (await env.Client.GetQuotaAsync(alice)).Items.Single(i => i.Resource == "backups").Used);
        await env.SucceedAsync(asAlice.BackupAsync(hers, new BackupRunRequest()));
        var over = await Assert.ThrowsAsync<BerthApiException>(() => asAlice.BackupAsync(hers, new BackupRunRequest()));
        Assert.Equal((403, "Quota exceeded"), (over.Status, over.Title));
        Assert.Contains("quota backups", over.Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await asAlice.ListBackupsAsync(hers)).Count);
        await env.SucceedAsync(env.Client.BackupAsync(hers, new BackupRunRequest()));
        Assert.Equal(3, (await asAlice.ListBackupsAsync(hers)).Count);
        await env.Client.UpdateQuotaAsync(alice, new QuotaUpdateRequest { Unset = ["backups"] });

        // The backup keeps its owner after the container is gone.
        await env.SucceedAsync(env.Client.DeleteAsync(hers, force: true));
        Assert.All(await env.Client.ListBackupsAsync(hers), b => Assert.Equal(alice, b.Owner));
        Assert.Equal(3, (await asAlice.ListBackupsAsync(hers)).Count);
    }
}
