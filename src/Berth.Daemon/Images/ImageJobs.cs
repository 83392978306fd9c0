using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Images;

/// <summary>Runs image.build jobs.</summary>
public sealed class ImageJobs(ImageStore store) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [JobKinds.ImageBuild];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var alias = context.Args<ImageBuildRequest>().Alias;
        var image = ImageCatalog.Find(alias) ?? throw BerthProblem.NotFound("Image not found", $"unknown image '{alias}'");
        await store.RebuildAsync(image, context, context.CancellationToken).ConfigureAwait(false);
    }

    // A build happens aside and appears by rename, so an interrupted one left nothing in the cache.
    public Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(new JobRecovery(false, "the build was abandoned; the cache holds the previous image, if any"));
}
