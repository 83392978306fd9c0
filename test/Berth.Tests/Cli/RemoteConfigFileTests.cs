using System.Text.Json;
using Berth.Cli.Remotes;
using Berth.Tests.Daemon;

namespace Berth.Tests.Cli;

public sealed class RemoteConfigFileTests
{
    [Fact]
    public void Save_NewFile_IsOwnerOnlyInOwnerOnlyDirectoryAndReadsBack()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "berth", "remotes.json");
        var config = new RemoteConfig
        {
            Current = "prod",
            Remotes = new(StringComparer.Ordinal) { ["prod"] = new Remote { Url = "https://192.0.2.7:8443/", Token = "secret", Fingerprint = "AB" } },
        };

        RemoteConfigFile.Save(config, path);
        var read = RemoteConfigFile.Load(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal("prod", read.Current);
        Assert.Equal(config.Remotes["prod"], read.Remotes["prod"]);
    }

    [Fact]
    public void Save_OverAWorldReadableFile_LeavesItOwnerOnly()
    {
        using var dir = new TempDirectory();
        var path = dir.File("remotes.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        RemoteConfigFile.Save(new RemoteConfig(), path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Load_Garbage_ThrowsOneLineNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("remotes.json");
        File.WriteAllText(path, "{not json");

        var ex = Assert.Throws<Berth.Cli.CliException>(() => RemoteConfigFile.Load(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The CLI is Native AOT: a record it writes without source-generated metadata would fail only in the published binary.</summary>
    [Fact]
    public void Context_HasEveryCliRecord()
    {
        var records = typeof(RemoteConfig).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsSealed && t.Namespace == typeof(RemoteConfig).Namespace && t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.Contains(typeof(Remote), records);

        var options = new JsonSerializerOptions { TypeInfoResolver = RemoteJsonContext.Default };
        var missing = records.Where(t =>
        {
            try
            {
                return options.GetTypeInfo(t) is null;
            }
            catch (NotSupportedException)
            {
                return true;
            }
        }).ToList();

        Assert.Empty(missing);
    }
}
