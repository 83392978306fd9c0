using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Berth.IntegrationTests.Backups;

/// <summary>A running container in a btrfs pool is read from a copy-on-write snapshot; Berth's database is backed up online.</summary>
public sealed class BackupSnapshotAndSystemTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task RunningContainerInBtrfsPool_IsReadFromASnapshot_ThatIsRemovedAfter()
    {
        var target = env.Name("cow");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = Path.Combine(env.StateDir, "cow-repo") });
        var pool = env.Name("cowpool");
        await env.SucceedAsync(env.Client.CreateStoragePoolAsync(new StoragePoolCreateRequest { Name = pool, Driver = "btrfs", Size = "1GiB" }));
        var name = env.Name("cowbk");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Storage = pool }));
        await env.ExecAsync(name, "sh", "-c", "echo on-btrfs > /root/data");

        var job = await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        Assert.Contains(await env.ProgressOfAsync(job.Id), p => p.Contains("copy-on-write snapshot", StringComparison.Ordinal));
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Empty(await env.Client.ListSnapshotsAsync(name));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(env.StateDir, "pools", pool), ".berth-backup", SearchOption.AllDirectories));

        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));
        var copy = env.Name("cowcopy");
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, As = copy }));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("on-btrfs\n", (await env.ExecAsync(copy, "cat", "/root/data")).Stdout);
        await env.ChangeStateAsync(copy, "stop", force: true);
        await env.ChangeStateAsync(name, "stop", force: true);
    }

    [Fact]
    public async Task SystemBackup_IsAnOnlineCopyOfTheDatabase_RestorableWithPlainRestic()
    {
        var target = env.Name("sys");
        var repo = Path.Combine(env.StateDir, "sys-repo");
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = repo });
        var marker = env.Name("sysmark");
        await env.LaunchAsync(marker, start: false);

        var run = await CliRunner.RunAsync(env.StateDir, "backup", "run", "--system", "--target", target);
        Assert.True(run.ExitCode == 0, run.ToString());
        var backup = Assert.Single(await env.Client.ListBackupsAsync(), b => b.System);
        Assert.Null(backup.Container);

        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
        var scratch = Path.Combine(env.StateDir, "sys-restore");
        var restic = await Host.RunAsync("env", "RESTIC_PASSWORD=" + password, "restic", "-r", repo, "restore", backup.Id, "--target", scratch);
        Assert.True(restic.ExitCode == 0, restic.Stderr);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(scratch, "berth.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT count(*) FROM containers WHERE name = $name";
        query.Parameters.AddWithValue("$name", marker);
        Assert.Equal(1L, await query.ExecuteScalarAsync());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(env.StateDir, "host-id")), await File.ReadAllTextAsync(Path.Combine(scratch, "host-id")));

        var restore = await CliRunner.RunAsync(env.StateDir, "backup", "restore", marker, backup.Id);
        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("docs/backups.md", restore.Stderr, StringComparison.Ordinal);
    }
}
