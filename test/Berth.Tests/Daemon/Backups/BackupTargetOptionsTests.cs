using Berth.Daemon.Backups;
using Berth.Tests.Daemon;

namespace Berth.Tests.Daemon.Backups;

public sealed class BackupTargetOptionsTests
{
    [Fact]
    public void SftpKeyAndPort_BecomeAnSshCommand_WithThePrivateKeyFileOnlyRootReads()
    {
        using var dir = new TempDirectory();
        var targetDir = Path.Combine(dir.Path, "t");
        var options = BackupTargetOptions.Write("sftp:backup@example.org:/srv/repo", new BackupTargetSecrets { Password = "p", SshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----", SshPort = 2222 }, targetDir);
        Assert.Equal("-o", options[0]);
        var command = options[1];
        Assert.StartsWith("sftp.command=ssh -F /dev/null ", command, StringComparison.Ordinal);
        Assert.Contains(" -p 2222 ", command, StringComparison.Ordinal);
        Assert.Contains($" -i {Path.Combine(targetDir, "ssh_key")} ", command, StringComparison.Ordinal);
        Assert.EndsWith(" backup@example.org -s sftp", command, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(targetDir, "ssh_key")));
    }

    [Fact]
    public void CaCert_IsPassedAsCacert_AndNoOptionsWriteNothing()
    {
        using var dir = new TempDirectory();
        var options = BackupTargetOptions.Write("s3:https://s3.example.org/b", new BackupTargetSecrets { Password = "p", CaCert = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n" }, Path.Combine(dir.Path, "s3"));
        Assert.Equal(["--cacert", Path.Combine(dir.Path, "s3", "ca.pem")], options);
        Assert.Empty(BackupTargetOptions.Write("local:/srv", new BackupTargetSecrets { Password = "p" }, Path.Combine(dir.Path, "none")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "none")));
    }
}
