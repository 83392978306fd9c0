using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// The attacks from a hostile archive, performed with a real export whose berth.json was edited: a line break in
/// haltSignal or lxcProfile that would add an LXC hook running as host root, and a privilege the importer never asked for.
/// </summary>
public sealed class ArchiveInjectionTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Theory]
    [InlineData("haltSignal", "SIGUSR1", "")]
    [InlineData("lxcProfile", "debian.common.conf", "\nlxc.include = /usr/share/lxc/config/debian")] // each include line still names a real file
    public async Task Import_LxcLineInjectedThroughTheManifest_IsRefused_AndTheHookNeverRuns(string field, string legitimate, string rest)
    {
        var marker = $"/tmp/berth-{env.Prefix}-pwned-{field}";
        File.Delete(marker);
        var file = await EditedExportAsync(field, manifest => manifest[field] = $"{legitimate}\nlxc.hook.pre-start = /bin/touch {marker}{rest}");
        var target = env.Name($"inj-{field.ToLowerInvariant()}");

        try
        {
            var job = await env.Client.ImportAsync(new ImportRequest { File = file, Name = target });

            // Without the checks the import goes through and the hook runs as host root at the first start.
            var finished = await env.Client.WaitForJobAsync(job);
            if (finished.Status == JobStatus.Succeeded)
            {
                try
                {
                    await env.Client.WaitForJobAsync(await env.Client.ChangeStateAsync(target, new StateChangeRequest { Action = "start" }));
                }
                catch (BerthApiException)
                {
                }
            }

            Assert.Fail($"the import was accepted ({finished.Status}: {finished.Error}); the hook {(File.Exists(marker) ? "ran" : "did not run")}");
        }
        catch (BerthApiException refused)
        {
            Assert.Equal(400, refused.Status);
            Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(marker), "the injected hook ran on the host");
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == target);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, target)));
    }

    [Fact]
    public async Task Import_PrivilegedArchive_IsRefusedUnlessAskedFor()
    {
        var file = await EditedExportAsync("priv", manifest => manifest["privileged"] = true);
        var target = env.Name("priv");

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ImportAsync(new ImportRequest { File = file, Name = target }));
        Assert.Equal(400, refused.Status);
        Assert.Contains("privileged: true", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == target);

        var cli = await CliRunner.RunAsync(env.StateDir, "import", file, target);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("--privileged", cli.Stderr, StringComparison.Ordinal);
        Assert.Single(cli.Stderr.Trim().Split('\n'));

        // Asked for explicitly, it is imported as what it is.
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = target, Privileged = true }));
        Assert.True((await env.Client.GetContainerAsync(target)).Privileged);
        await env.SucceedAsync(env.Client.DeleteAsync(target, force: true));
    }

    [Fact]
    public async Task Import_WithPrivilegedAllowed_NeverGrantsMoreThanTheArchiveHolds()
    {
        var file = await EditedExportAsync("unpriv", _ => { });
        var target = env.Name("unpriv");
        await env.SucceedAsync(env.Client.ImportAsync(new ImportRequest { File = file, Name = target, Privileged = true }));
        Assert.False((await env.Client.GetContainerAsync(target)).Privileged);
        await env.SucceedAsync(env.Client.DeleteAsync(target, force: true));
    }

    /// <summary>Exports a fresh busybox container, applies <paramref name="edit"/> to its berth.json and packs it again.</summary>
    private async Task<string> EditedExportAsync(string hint, Action<JsonObject> edit)
    {
        var source = env.Name($"src-{hint.ToLowerInvariant()}");
        await env.LaunchAsync(source, start: false);
        var exported = Path.Combine(env.StateDir, $"{hint}.tar.zst");
        await env.SucceedAsync(env.Client.ExportAsync(source, new ExportRequest { File = exported }));
        await env.SucceedAsync(env.Client.DeleteAsync(source));

        var dir = Directory.CreateDirectory(Path.Combine(env.StateDir, $"edit-{hint}")).FullName;
        await Host.RunCheckedAsync("sh", "-c", "zstd -q -d -c -- \"$1\" | tar -x --ignore-zeros --numeric-owner -f - -C \"$2\"", "sh", exported, dir);
        var manifestPath = Path.Combine(dir, "berth.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!.AsObject();
        edit(manifest);
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        var file = Path.Combine(env.StateDir, $"{hint}-edited.tar.zst");
        await Host.RunCheckedAsync("sh", "-c", "tar -c --numeric-owner -f - -C \"$1\" berth.json rootfs | zstd -q -o \"$2\"", "sh", dir, file);
        await Host.RunCheckedAsync("rm", "-rf", "--", dir);
        return file;
    }
}
