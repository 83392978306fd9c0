using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>berth backup delete: restic forgets the one backup and prunes; the others stay listed and restorable; members delete only their own.</summary>
public sealed class BackupDeleteTests(HttpBerthEnvironment env) : IClassFixture<HttpBerthEnvironment>
{
    [Fact]
    public async Task Delete_OneOfThree_LeavesTheOthersListedAndRestorable_AndRemovesItFromTheRepository()
    {
        var target = env.Name("del");
        var repository = Path.Combine(env.StateDir, "repos", "del");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + repository });
        var name = env.Name("bkdel");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Start = false }));
        var note = Path.Combine(env.LxcPath, name, "rootfs", "root", "note");
        foreach (var version in new[] { "one", "two", "three" })
        {
            await File.WriteAllTextAsync(note, version + "\n");
            await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        }

        var backups = await env.Client.ListBackupsAsync(name);
        Assert.Equal(3, backups.Count);
        var (third, second, first) = (backups[0], backups[1], backups[2]);

        var deleted = await CliRunner.RunAsync(env.StateDir, "backup", "delete", name, second.Id, "--format", "json");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        var printed = JsonSerializer.Deserialize<List<BackupInfo>>(deleted.Stdout, BerthJson.Options)!;
        Assert.Equal([(second.Id, name, target)], printed.Select(b => (b.Id, b.Container!, b.Target)));
        Assert.Contains(await env.Client.ListJobsAsync(), j => j.Kind == "backup.delete" && j.Target == name && j.Status == JobStatus.Succeeded);

        Assert.Equal([third.Id, first.Id], (await env.Client.ListBackupsAsync(name)).Select(b => b.Id));
        // Gone from the repository itself, by plain restic with the recovery password.
        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
        var snapshots = await Host.RunAsync("env", "RESTIC_PASSWORD=" + password, "restic", "-r", repository, "snapshots", "--json", "--no-lock");
        Assert.True(snapshots.ExitCode == 0, snapshots.Stderr);
        var ids = JsonDocument.Parse(snapshots.Stdout).RootElement.EnumerateArray().Select(s => s.GetProperty("short_id").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { first.Id, third.Id }.Order(StringComparer.Ordinal), ids);

        // The two left restore as they were taken (the prune kept their data).
        foreach (var (backup, version) in new[] { (first, "one"), (third, "three") })
        {
            var copy = env.Name("bkdel" + version);
            await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, As = copy }));
            Assert.Equal(version + "\n", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, copy, "rootfs", "root", "note")));
        }

        // Deleting it again: it is no longer there.
        var again = await CliRunner.RunAsync(env.StateDir, "backup", "delete", name, second.Id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Single(again.Stderr.Trim().Split('\n'));
        Assert.Contains($"there is no backup '{second.Id}'", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_MembersOnlyTheirOwn_UnknownIdIs404_AndTheQuotaCountDrops()
    {
        var alice = env.Name("alice");
        var bob = env.Name("bob");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = alice, Role = "member", Password = "alice-password-1" });
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = bob, Role = "member", Password = "bob-password-1" });
        using var asAlice = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(alice, new TokenCreateRequest { Name = "t" })).Token);
        using var asBob = new BerthClient(env.BaseAddress, (await env.Client.CreateTokenAsync(bob, new TokenCreateRequest { Name = "t" })).Token);
        var target = env.Name("mdel");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "repos", "mdel") });

        var hers = env.Name("adel");
        var herOther = env.Name("adel2");
        var his = env.Name("bdel");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = hers, Image = "busybox", Owner = alice, Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = herOther, Image = "busybox", Owner = alice, Start = false }));
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = his, Image = "busybox", Owner = bob, Start = false }));
        await env.SucceedAsync(asAlice.BackupAsync(hers, new BackupRunRequest { Target = target }));
        await env.SucceedAsync(asAlice.BackupAsync(hers, new BackupRunRequest { Target = target }));
        await env.SucceedAsync(asAlice.BackupAsync(herOther, new BackupRunRequest { Target = target }));
        await env.SucceedAsync(asBob.BackupAsync(his, new BackupRunRequest { Target = target }));
        var herBackups = await asAlice.ListBackupsAsync(hers);
        var herOtherBackup = Assert.Single(await asAlice.ListBackupsAsync(herOther));
        var hisBackup = Assert.Single(await asBob.ListBackupsAsync(his));
        Assert.Equal(3L, await BackupsUsedAsync(alice));

        // Bob: her backup is not there for him, named with her container or with his own.
        foreach (var container in new[] { hers, his })
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => asBob.DeleteBackupAsync(container, herBackups[0].Id));
            Assert.Equal((404, "Backup not found"), (refused.Status, refused.Title));
        }

        // An unknown id, a malformed one, and one of another container are 404 problems, for her and for the admin.
        foreach (var client in new[] { asAlice, env.Client })
        {
            foreach (var (container, id) in new[] { (hers, "deadbeef"), (hers, "not-an-id"), (hers, herOtherBackup.Id), (his, hisBackup.Id) })
            {
                if (ReferenceEquals(client, env.Client) && container == his)
                {
                    continue;
                }

                var missing = await Assert.ThrowsAsync<BerthApiException>(() => client.DeleteBackupAsync(container, id));
                Assert.Equal((404, "Backup not found"), (missing.Status, missing.Title));
                Assert.Contains("GET /api/v1/backups", missing.Detail, StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, (await asAlice.ListBackupsAsync(hers)).Count);
        Assert.Single(await asBob.ListBackupsAsync(his));
        Assert.Equal(3L, await BackupsUsedAsync(alice));

        // Her own: deleted, and her backups quota counts one less.
        await env.SucceedAsync(asAlice.DeleteBackupAsync(hers, herBackups[1].Id));
        Assert.Equal([herBackups[0].Id], (await asAlice.ListBackupsAsync(hers)).Select(b => b.Id));
        Assert.Equal(2L, await BackupsUsedAsync(alice));

        // Also after the container is gone: its backups are still hers to delete.
        await env.SucceedAsync(env.Client.DeleteAsync(hers, force: true));
        await env.SucceedAsync(asAlice.DeleteBackupAsync(hers, herBackups[0].Id));
        Assert.Empty(await asAlice.ListBackupsAsync(hers));
        Assert.Equal(1L, await BackupsUsedAsync(alice));
        Assert.Single(await asBob.ListBackupsAsync(his));
    }

    private async Task<long?> BackupsUsedAsync(string user) =>
        (await env.Client.GetQuotaAsync(user)).Items.Single(i => i.Resource == "backups").Used;
}
