using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;
using Berth.IntegrationTests.Infrastructure.ResticServers;

namespace Berth.IntegrationTests.Backups;

/// <summary>SFTP (its own sshd, key and port) and S3 over HTTPS (its own CA) targets added through Berth: run, list, restore as a new container.</summary>
public sealed class SftpAndS3TargetTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task SftpTarget_WithSshKeyAndPort_BacksUpAndRestores()
    {
        await using var server = new SftpServer();
        await server.StartAsync();
        var target = env.Name("sftp");
        var add = await CliRunner.RunAsync(env.StateDir, "backup", "target", "add", target, "--url", server.Repository,
            "--ssh-key", server.KeyFile, "--ssh-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(add.ExitCode == 0, add.ToString() + server.Log);
        var info = await env.Client.GetBackupTargetAsync(target);
        Assert.Equal("sftp", info.Kind);
        Assert.True(info.SshKeySet);
        Assert.Equal(server.Port, info.SshPort);
        Assert.False(info.CaCertSet);
        Assert.Empty(info.EnvKeys);
        var human = await CliRunner.RunAsync(env.StateDir, "backup", "target", "show", target);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Matches(@"SSH key:?\s+set", human.Stdout);
        Assert.Matches(@"CA certificate:?\s+not set", human.Stdout);

        // The private key is kept sealed: not in the database, not shown.
        var key = await File.ReadAllTextAsync(server.KeyFile);
        var keyLine = key.Split('\n')[1];
        var shown = await CliRunner.RunAsync(env.StateDir, "backup", "target", "show", target, "--format", "json");
        Assert.DoesNotContain(keyLine, shown.Stdout + await File.ReadAllTextAsync(Path.Combine(env.StateDir, "berth.db")), StringComparison.Ordinal);

        await RunListRestoreAsync(target, "sbk", "over-sftp");
        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
        Assert.Contains("\"id\"", await server.ResticCheckedAsync(password, "snapshots", "--json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3Target_OverHttpsWithItsCaCert_BacksUpAndRestores()
    {
        await using var server = new S3Server();
        await server.StartAsync();
        var target = env.Name("s3");

        // Without the CA restic does not trust the server: refused, nothing stored.
        var untrusted = await CliRunner.RunAsync(env.StateDir, "backup", "target", "add", target, "--url", server.Repository,
            "--env", "AWS_ACCESS_KEY_ID=" + S3Server.AccessKey, "--env", "AWS_SECRET_ACCESS_KEY=" + S3Server.SecretKey);
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.DoesNotContain(await env.Client.ListBackupTargetsAsync(), t => t.Name == target);

        var add = await CliRunner.RunAsync(env.StateDir, "backup", "target", "add", target, "--url", server.Repository,
            "--env", "AWS_ACCESS_KEY_ID=" + S3Server.AccessKey, "--env", "AWS_SECRET_ACCESS_KEY=" + S3Server.SecretKey, "--cacert", server.Certificate);
        Assert.True(add.ExitCode == 0, add.ToString() + server.Log);
        var info = await env.Client.GetBackupTargetAsync(target);
        Assert.Equal("s3", info.Kind);
        Assert.True(info.CaCertSet);
        Assert.False(info.SshKeySet);
        Assert.Null(info.SshPort);
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"], info.EnvKeys);
        var human = await CliRunner.RunAsync(env.StateDir, "backup", "target", "show", target);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Matches(@"CA certificate:?\s+set", human.Stdout);
        Assert.Contains("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY", human.Stdout, StringComparison.Ordinal);
        var json = await CliRunner.RunAsync(env.StateDir, "backup", "target", "show", target, "--format", "json");
        Assert.DoesNotContain(S3Server.SecretKey, human.Stdout + json.Stdout, StringComparison.Ordinal);

        await RunListRestoreAsync(target, "s3bk", "over-s3");
        var password = (await env.Client.GetBackupTargetKeyAsync(target)).Password;
        Assert.Contains("\"id\"", await server.ResticCheckedAsync(password, "snapshots", "--json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionsOfAnotherKindOfTarget_AreRefused()
    {
        var target = env.Name("wrongopt");
        var dir = Path.Combine(env.StateDir, "repos", "wrongopt");
        var refused = await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "local:" + dir, SshPort = 2222 }));
        Assert.Equal(400, refused.Status);
        Assert.Contains("sshPort", refused.Message, StringComparison.Ordinal);
        var badCert = await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => env.Client.AddBackupTargetAsync(new BackupTargetCreateRequest { Name = target, Url = "s3:https://127.0.0.1:1/b", CaCert = "not a cert" }));
        Assert.Equal(400, badCert.Status);
        Assert.DoesNotContain(await env.Client.ListBackupTargetsAsync(), t => t.Name == target);
        Assert.False(Directory.Exists(dir));
        Assert.False(Directory.Exists(Path.Combine(env.StateDir, "backups", "targets", target)));
    }

    private async Task RunListRestoreAsync(string target, string hint, string content)
    {
        var name = env.Name(hint);
        await env.LaunchAsync(name, start: false);
        await File.WriteAllTextAsync(Path.Combine(env.LxcPath, name, "rootfs", "root", "data"), content + "\n");
        var run = await CliRunner.RunAsync(env.StateDir, "backup", "run", name, "--target", target);
        Assert.True(run.ExitCode == 0, run.ToString() + env.Daemon.Log);
        var list = await CliRunner.RunAsync(env.StateDir, "backup", "list", name, "--format", "json");
        Assert.Contains("\"target\": \"" + target + "\"", list.Stdout, StringComparison.Ordinal);
        var backup = Assert.Single(await env.Client.ListBackupsAsync(name));

        var copy = env.Name(hint + "as");
        var restore = await CliRunner.RunAsync(env.StateDir, "backup", "restore", name, backup.Id, "--as", copy);
        Assert.True(restore.ExitCode == 0, restore.ToString() + env.Daemon.Log);
        Assert.Equal(content + "\n", await File.ReadAllTextAsync(Path.Combine(env.LxcPath, copy, "rootfs", "root", "data")));
    }
}
