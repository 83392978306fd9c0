using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Images;

/// <summary>kill -9 of the daemon in the middle of a publish: after a restart the image is complete or absent, and the cache holds nothing half-made.</summary>
public sealed class ImageCrashTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>
{
    [Fact]
    public async Task KillDuringPublish_AfterRestart_ImageIsCompleteOrAbsent()
    {
        var name = env.Name("crashpub");
        await env.LaunchAsync(name);
        await env.ExecAsync(name, "dd", "if=/dev/zero", "of=/root/big", "bs=1M", "count=150");
        await env.ChangeStateAsync(name, "stop", force: true);

        var outcomes = new List<string>();
        foreach (var delayMs in new[] { 0, 60, 200, 500, 1500 })
        {
            var alias = $"{env.Prefix}/crash{delayMs}";
            var job = await env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = alias });
            await Task.Delay(delayMs);
            await env.Daemon.KillAsync();
            await env.StartDaemonAsync();

            var after = await env.Client.GetJobAsync(job.Id, waitSeconds: 60);
            Assert.True(after.Status is JobStatus.Succeeded or JobStatus.Failed, $"job still {after.Status} after restart");
            var images = await env.Client.ListImagesAsync();
            var image = images.SingleOrDefault(i => i.Alias == alias);
            if (after.Status == JobStatus.Succeeded)
            {
                Assert.NotNull(image);
                Assert.True(image.Cached);
                Assert.True(File.Exists(Path.Combine(env.ImagesDir, image.Fingerprint, "rootfs", "root", "big")));
                outcomes.Add("complete");
            }
            else
            {
                Assert.Null(image);
                Assert.Contains("restart", after.Error, StringComparison.Ordinal);
                outcomes.Add("none");
            }

            // Every directory in the cache belongs to a known image: nothing half-made, nothing orphaned.
            Assert.DoesNotContain(Directory.GetDirectories(env.ImagesDir), d => !images.Any(i => i.Fingerprint == Path.GetFileName(d)));
        }

        // At least one kill must have hit a publish in progress, or this test proved nothing about undo.
        Assert.Contains("none", outcomes);

        // The restarted daemon publishes the same container completely.
        var fresh = $"{env.Prefix}/after";
        await env.SucceedAsync(env.Client.PublishImageAsync(new ImagePublishRequest { Container = name, Alias = fresh }));
        var launched = env.Name("fromcrash");
        await env.LaunchAsync(launched, fresh);
        Assert.Equal("157286400\n", (await env.ExecAsync(launched, "stat", "-c", "%s", "/root/big")).Stdout);
    }
}
