using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Backups;

/// <summary>
/// A REST target (rclone serve restic on loopback) shared by two Berth hosts: the second adds it with the recovery
/// password and restores a container it never had; the first restores one it deleted.
/// </summary>
public sealed class RestTargetTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task RestTarget_SecondHostWithTheRecoveryKey_RestoresAContainerItNeverHad()
    {
        await using var server = await ResticRestServer.StartAsync(Path.Combine(env.StateDir, "rest-server"));
        var target = env.Name("rest");
        var url = server.Url("berth");
        var add = await CliRunner.RunAsync(env.StateDir, "backup", "target", "add", target, "--url", url, "--env", "RESTIC_REST_USERNAME=nobody");
        Assert.True(add.ExitCode == 0, add.ToString());
        var info = await env.Client.GetBackupTargetAsync(target);
        Assert.Equal(("rest", url), (info.Kind, info.Url));
        Assert.Equal(["RESTIC_REST_USERNAME"], info.EnvKeys);

        var name = env.Name("rbk");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "sh", "-c", "echo over-rest > /root/data");
        var run = await CliRunner.RunAsync(env.StateDir, "backup", "run", name, "--target", target);
        Assert.True(run.ExitCode == 0, run.ToString());
        var list = await CliRunner.RunAsync(env.StateDir, "backup", "list", name, "--format", "json");
        Assert.Contains("\"target\": \"" + target + "\"", list.Stdout, StringComparison.Ordinal);
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));
        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;

        // Adding the same repository without its password would make a second one over it: refused, nothing stored.
        await using var second = new BerthEnvironment();
        await second.InitializeAsync();
        var refused = await CliRunner.RunAsync(second.StateDir, "backup", "target", "add", target, "--url", url);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("recovery password", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(await second.Client.ListBackupTargetsAsync());

        var joined = await CliRunner.RunWithInputAsync(second.StateDir, password + "\n", "backup", "target", "add", target, "--url", url, "--password-stdin");
        Assert.True(joined.ExitCode == 0, joined.ToString());
        var found = Assert.Single(await second.Client.ListBackupsAsync(name));
        Assert.Equal(backup.Id, found.Id);
        Assert.Null(found.Owner);

        var restore = await CliRunner.RunAsync(second.StateDir, "backup", "restore", name, backup.Id);
        Assert.True(restore.ExitCode == 0, restore.ToString() + second.Daemon.Log);
        await second.ChangeStateAsync(name, "start");
        Assert.Equal("over-rest\n", (await second.ExecAsync(name, "cat", "/root/data")).Stdout);
        await second.ChangeStateAsync(name, "stop", force: true);

        // On the first host: the container deleted, its backup restores it under its own name.
        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        await env.SucceedAsync(env.Client.RestoreBackupAsync(backup.Id, new BackupRestoreRequest { Container = name }));
        await env.ChangeStateAsync(name, "start");
        Assert.Equal("over-rest\n", (await env.ExecAsync(name, "cat", "/root/data")).Stdout);
    }
}
