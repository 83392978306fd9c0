using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>
/// Images move between hosts as an archive and its sha256: published on one Berth, exported, imported on another (its
/// own state and image directories), launched there; a damaged copy is refused and leaves nothing.
/// </summary>
public sealed class ImageArchiveTests(PrivateImagesBerthEnvironment source) : IClassFixture<PrivateImagesBerthEnvironment>
{
    [Fact]
    public async Task ExportImport_BetweenHosts_SameImageLaunchesThere()
    {
        var alias = await PublishAsync("web");
        var file = Path.Combine(source.StateDir, "web.tar.zst");
        var export = await CliRunner.RunAsync(source.StateDir, "image", "export", alias, file);
        Assert.True(export.ExitCode == 0, export.ToString());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        Assert.Equal($"{sha256}  web.tar.zst\n", await File.ReadAllTextAsync(file + ".sha256"));
        Assert.Contains(sha256, export.Stdout, StringComparison.Ordinal);

        // A container made from the image travels too: the host that does not know the image still renders it right.
        var container = source.Name("webc");
        await source.LaunchAsync(container, alias, start: false);
        var containerFile = Path.Combine(source.StateDir, "webc.tar.zst");
        await source.SucceedAsync(source.Client.ExportAsync(container, new ExportRequest { File = containerFile }));

        await using var target = new PrivateImagesBerthEnvironment();
        await target.InitializeAsync();
        var importedContainer = target.Name("webc");
        await target.SucceedAsync(target.Client.ImportAsync(new ImportRequest { File = containerFile, Name = importedContainer }));
        Assert.Contains("lxc.signal.halt = SIGUSR1", await File.ReadAllTextAsync(Path.Combine(target.LxcPath, importedContainer, "config")), StringComparison.Ordinal);

        var import = await CliRunner.RunAsync(target.StateDir, "image", "import", file);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains(alias, import.Stdout, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync(target.StateDir, "image", "show", alias);
        Assert.Contains($"imported (imported from {file})", show.Stdout, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(target.StateDir, "image", "list");
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith(alias + " ", StringComparison.Ordinal) && l.Contains(" imported ", StringComparison.Ordinal));

        var original = await source.Client.GetImageAsync(alias);
        var imported = await target.Client.GetImageAsync(alias);
        Assert.Equal(original.Fingerprint, imported.Fingerprint);
        Assert.Equal("imported", imported.Origin);
        Assert.Equal((original.Os, original.Release, original.Architecture, original.SizeBytes, original.CreatedAt), (imported.Os, imported.Release, imported.Architecture, imported.SizeBytes, imported.CreatedAt));
        Assert.Contains(file, imported.Source, StringComparison.Ordinal);

        var launched = target.Name("fromimport");
        await target.LaunchAsync(launched, alias);
        Assert.Equal("hello from web\n", (await target.ExecAsync(launched, "cat", "/srv/index.html")).Stdout);
        Assert.Equal("../srv/index.html\n./index.html\n", (await target.ExecAsync(launched, "sh", "-c", "readlink /srv/up; readlink /srv/dot")).Stdout);
        await target.ChangeStateAsync(launched, "stop", timeout: 30);

        // The same archive under another name shares the cached files.
        var twin = $"{target.Prefix}/twin";
        await target.SucceedAsync(target.Client.ImportImageAsync(new ImageImportRequest { File = file, Alias = twin, Sha256 = sha256 }));
        Assert.Equal(original.Fingerprint, (await target.Client.GetImageAsync(twin)).Fingerprint);
        Assert.Single(Directory.GetDirectories(target.ImagesDir, original.Fingerprint));
    }

    [Fact]
    public async Task ImportBuiltInImage_OnHostWithoutIt_FillsTheCacheAndIsNotBuiltAgain()
    {
        var file = Path.Combine(source.StateDir, "busybox.tar.zst");
        await source.SucceedAsync(source.Client.ExportImageAsync(new ImageExportRequest { Alias = "busybox", File = file }));

        await using var target = new PrivateImagesBerthEnvironment();
        await target.InitializeAsync();
        Assert.False((await target.Client.GetImageAsync("busybox")).Cached);
        await target.SucceedAsync(target.Client.ImportImageAsync(new ImageImportRequest { File = file }));

        var image = await target.Client.GetImageAsync("busybox");
        Assert.True(image.Cached);
        Assert.Equal("catalog", image.Origin);
        var name = target.Name("bb");
        var launch = await target.LaunchAsync(name);
        Assert.DoesNotContain(await target.ProgressOfAsync(launch.Id), p => p.Contains("building", StringComparison.Ordinal));
        Assert.Equal(0, (await target.ExecAsync(name, "true")).ExitCode);
    }

    [Fact]
    public async Task Import_DamagedOrForeignArchive_IsRefusedAndLeavesNothing()
    {
        var alias = await PublishAsync("dmg");
        var file = Path.Combine(source.StateDir, "dmg.tar.zst");
        await source.SucceedAsync(source.Client.ExportImageAsync(new ImageExportRequest { Alias = alias, File = file }));

        // Writing over an existing archive is refused.
        var exists = await Assert.ThrowsAsync<BerthApiException>(() => source.Client.ExportImageAsync(new ImageExportRequest { Alias = alias, File = file }));
        Assert.Equal(409, exists.Status);

        await using var target = new PrivateImagesBerthEnvironment();
        await target.InitializeAsync();
        var damaged = Path.Combine(target.StateDir, "damaged.tar.zst");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(damaged, bytes);
        File.Copy(file + ".sha256", damaged + ".sha256");

        var job = await target.WaitAsync(target.Client.ImportImageAsync(new ImageImportRequest { File = damaged, Alias = $"{target.Prefix}/damaged" }));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("sha256", job.Error, StringComparison.Ordinal);

        // Without its checksum file the archive's own checksums still catch the damage.
        File.Delete(damaged + ".sha256");
        var unchecked_ = await target.WaitAsync(target.Client.ImportImageAsync(new ImageImportRequest { File = damaged, Alias = $"{target.Prefix}/damaged" }));
        Assert.Equal(JobStatus.Failed, unchecked_.Status);
        Assert.Contains("archive", unchecked_.Error, StringComparison.OrdinalIgnoreCase);

        var wrongSum = await target.WaitAsync(target.Client.ImportImageAsync(new ImageImportRequest { File = file, Alias = $"{target.Prefix}/wrongsum", Sha256 = new string('0', 64) }));
        Assert.Equal(JobStatus.Failed, wrongSum.Status);
        Assert.Contains("sha256", wrongSum.Error, StringComparison.Ordinal);

        var badSum = await Assert.ThrowsAsync<BerthApiException>(() => target.Client.ImportImageAsync(new ImageImportRequest { File = file, Sha256 = "xyz" }));
        Assert.Equal(400, badSum.Status);

        var foreign = Path.Combine(target.StateDir, "foreign.tar.zst");
        await File.WriteAllTextAsync(foreign, "not an archive");
        var foreignError = await Assert.ThrowsAsync<BerthApiException>(() => target.Client.ImportImageAsync(new ImageImportRequest { File = foreign }));
        Assert.Equal(400, foreignError.Status);

        var cli = await CliRunner.RunAsync(target.StateDir, "image", "import", Path.Combine(target.StateDir, "missing.tar.zst"));
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));

        var images = await target.Client.ListImagesAsync();
        Assert.DoesNotContain(images, i => i.Alias.StartsWith(target.Prefix, StringComparison.Ordinal) || i.Alias == alias);
        var busybox = images.Single(i => i.Alias == "busybox").Fingerprint;
        Assert.DoesNotContain(Directory.GetDirectories(target.ImagesDir), d => Path.GetFileName(d) != busybox);
    }

    /// <summary>Publishes a busybox container with a file of its own and relative links to it as a new image.</summary>
    private async Task<string> PublishAsync(string hint)
    {
        var name = source.Name(hint);
        await source.LaunchAsync(name);
        await source.ExecAsync(name, "sh", "-c", $"mkdir -p /srv && echo 'hello from {hint}' > /srv/index.html && ln -s ../srv/index.html /srv/up && ln -s ./index.html /srv/dot");
        await source.ChangeStateAsync(name, "stop", force: true);
        var alias = $"{source.Prefix}/{hint}";
        var publish = await CliRunner.RunAsync(source.StateDir, "publish", name, "--alias", alias);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        return alias;
    }
}
