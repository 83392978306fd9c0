using Berth.Daemon.Backups;
using Berth.Daemon.Errors;

namespace Berth.Tests.Daemon.Backups;

public sealed class BackupTargetValidationTests
{
    [Theory]
    [InlineData("/srv/backups", "local:/srv/backups", "local")]
    [InlineData("local:/srv/backups/", "local:/srv/backups/", "local")]
    [InlineData("sftp:berth@backup.example.org:/srv/restic", "sftp:berth@backup.example.org:/srv/restic", "sftp")]
    [InlineData("sftp:backup.example.org:/srv/restic", "sftp:backup.example.org:/srv/restic", "sftp")]
    [InlineData("rest:https://backup.example.org:8000/berth", "rest:https://backup.example.org:8000/berth", "rest")]
    [InlineData("s3:https://s3.example.org/bucket", "s3:https://s3.example.org/bucket", "s3")]
    public void Parse_ValidUrl_GivesTheRepositoryAndKind(string url, string repository, string kind) =>
        Assert.Equal((repository, kind), BackupTargetUrl.Parse(url));

    [Theory]
    [InlineData("")]
    [InlineData("relative/dir")]
    [InlineData("local:relative")]
    [InlineData("local:/srv/../etc")]
    [InlineData("ftp://example.org/x")]
    [InlineData("sftp:-oProxyCommand=sh:/path")]
    [InlineData("sftp:-x@host:/path")]
    [InlineData("sftp:user@host:relative")]
    [InlineData("rest:ftp://host/x")]
    [InlineData("rest:http://user:password@host/x")]
    [InlineData("s3:https://s3.example.org")]
    [InlineData("s3:https://s3.example.org/bucket?x=1")]
    [InlineData("-o=sftp.command=sh")]
    [InlineData("local:/srv/a b")]
    [InlineData("local:/srv/\nx")]
    public void Parse_InvalidUrl_IsRefused(string url)
    {
        var error = Assert.Throws<DomainError>(() => BackupTargetUrl.Parse(url));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }

    [Theory]
    [InlineData("RESTIC_PASSWORD")]
    [InlineData("RESTIC_PASSWORD_FILE")]
    [InlineData("RESTIC_PASSWORD_COMMAND")]
    [InlineData("RESTIC_REPOSITORY")]
    [InlineData("LD_PRELOAD")]
    [InlineData("PATH")]
    [InlineData("aws_secret")]
    [InlineData("AWS-KEY")]
    [InlineData("1KEY")]
    [InlineData("")]
    public void ValidateEnv_ForbiddenKey_IsRefused(string key)
    {
        var error = Assert.Throws<DomainError>(() => BackupTargetEnv.Validate(new Dictionary<string, string> { [key] = "x" }));
        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void ValidateEnv_CredentialKeys_AreKept()
    {
        var env = BackupTargetEnv.Validate(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "a", ["AWS_SECRET_ACCESS_KEY"] = "b", ["RESTIC_REST_USERNAME"] = "c" });
        Assert.Equal(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "RESTIC_REST_USERNAME"], env.Keys);
    }

    [Fact]
    public void ValidateEnv_ControlCharacterInValue_IsRefused() =>
        Assert.Throws<DomainError>(() => BackupTargetEnv.Validate(new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "a\nb" }));
}
