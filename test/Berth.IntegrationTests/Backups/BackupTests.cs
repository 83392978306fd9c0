using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>Backups to a local restic repository: run, list, restore in place and as a new container, and plain restic with the recovery password.</summary>
public sealed class BackupTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    private async Task<string> AddLocalTargetAsync(string hint)
    {
        var name = env.Name(hint);
        var dir = Path.Combine(env.StateDir, "repos", hint);
        await env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = name, Url = "local:" + dir });
        return name;
    }

    [Fact]
    public async Task Backup_RestoreAs_AndInPlace_BringBackTheFiles()
    {
        var target = await AddLocalTargetAsync("loc1");
        var name = env.Name("bk1");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo first > /root/data && chown 1000:1001 /root/data && chmod 640 /root/data");

        var job = await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        Assert.Equal("backup.run", job.Kind);
        var backups = await env.Client.ListBackupsAsync(name);
        var backup = Assert.Single(backups);
        Assert.Equal(8, backup.Id.Length);
        Assert.Equal(target, backup.Target);
        Assert.True(backup.SizeBytes > 100_000 && backup.Files > 10, $"{backup.SizeBytes} bytes, {backup.Files} files");
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status); // frozen only while read

        // In place only when stopped.
        var running = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name }));
        Assert.Equal(409, running.Status);
        Assert.Contains("stop it", running.Message, StringComparison.Ordinal);

        var copy = env.Name("bk1copy");
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name, As = copy }));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("first\n", (await env.ExecAsync(copy, "cat", "/root/data")).Stdout);
        Assert.Equal("1000 1001 640", (await env.ExecAsync(copy, "stat", "-c", "%u %g %a", "/root/data")).Stdout.Trim());
        Assert.Equal(copy, (await env.ExecAsync(copy, "hostname")).Stdout.Trim());

        await env.ExecAsync(name, "sh", "-c", "echo changed > /root/data && touch /root/new");
        await env.ChangeStateAsync(name, "stop", force: true);
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name }));
        await env.ChangeStateAsync(name, "start");
        Assert.Equal("first\n", (await env.ExecAsync(name, "cat", "/root/data")).Stdout);
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/root/new")).ExitCode);
        Assert.Empty(Directory.GetDirectories(env.LxcPath, ".restore-*"));

        // A second backup reads only what changed, and both are listed newest first.
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        Assert.Equal(2, (await env.Client.ListBackupsAsync(name)).Count);
    }

    [Fact]
    public async Task PlainRestic_WithTheRecoveryPassword_RestoresWithoutBerth()
    {
        var target = await AddLocalTargetAsync("loc2");
        var name = env.Name("bk2");
        await env.LaunchAsync(name, start: false);
        await File.WriteAllTextAsync(Path.Combine(env.LxcPath, name, "rootfs", "root", "note"), "kept\n");
        await env.SucceedAsync(env.Client.BackupAsync(name, new BackupRunRequest { Target = target }));
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));

        var key = await CliRunner.RunAsync(env.StateDir, "backup", "target", "key", target);
        Assert.Equal(0, key.ExitCode);
        var password = key.Stdout.Trim();
        Assert.True(password.Length >= 32, key.ToString());

        // What list and show tell never includes it.
        var shown = await CliRunner.RunAsync(env.StateDir, "backup", "target", "show", target);
        var listed = await CliRunner.RunAsync(env.StateDir, "backup", "target", "list", "--format", "json");
        Assert.DoesNotContain(password, shown.Stdout + listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(password, await File.ReadAllTextAsync(Path.Combine(env.StateDir, "berth.db")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(env.StateDir, "backup.key")));
        Assert.Contains(await env.Client.ListAuditAsync(), a => a.Path.EndsWith($"/backup-targets/{target}/key", StringComparison.Ordinal) && a.Status == 200);

        var scratch = Path.Combine(env.StateDir, "plain-restore");
        var restic = await Host.RunAsync(
            "env",
            "RESTIC_PASSWORD=" + password,
            "restic", "-r", Path.Combine(env.StateDir, "repos", "loc2"), "restore", backup.Id, "--target", scratch);
        Assert.True(restic.ExitCode == 0, restic.Stderr);
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(scratch, "rootfs", "root", "note")));
        Assert.True(File.Exists(Path.Combine(scratch, "berth.json")));
        Assert.Contains(name, await File.ReadAllTextAsync(Path.Combine(scratch, "berth.json")), StringComparison.Ordinal);
    }
}
