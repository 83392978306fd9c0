using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>kill -9 of the daemon while debootstrap builds an image: the restart stops the orphaned build and removes what it wrote.</summary>
public sealed class ImageBuildCrashTests(PrivateImagesBerthEnvironment env) : IClassFixture<PrivateImagesBerthEnvironment>
{
    [Fact]
    public async Task KillDuringImageBuild_RestartRemovesTheHalfBuiltImage_AndTheJobSaysSo()
    {
        var job = await env.Client.BuildImageAsync("debian/12");
        var staging = "";
        for (var i = 0; i < 300 && staging.Length == 0; i++)
        {
            await Task.Delay(100);
            staging = Directory.GetDirectories(env.ImagesDir, ".build-*").FirstOrDefault() ?? "";
        }

        Assert.NotEqual("", staging);
        await Task.Delay(3000); // debootstrap is downloading and unpacking into it now
        await env.Daemon.KillAsync();
        await env.StartDaemonAsync();

        var after = await env.Client.GetJobAsync(job.Id);
        Assert.Equal(JobStatus.Failed, after.Status);
        Assert.Contains("restart", after.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(staging), $"{staging} was left behind");
        Assert.DoesNotContain(await env.Client.ListImagesAsync(), i => i.Alias == "debian/12" && i.Cached);
        var (_, processes, _) = await Host.RunAsync("ps", "-eo", "args");
        Assert.DoesNotContain(staging, processes, StringComparison.Ordinal);
    }
}
