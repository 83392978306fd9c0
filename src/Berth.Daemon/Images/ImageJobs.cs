using Berth.Contracts;
using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Images;

/// <summary>Runs image.build (build once per recipe, or again when forced) and image.delete jobs.</summary>
public sealed class ImageJobs(ImageStore store, ImageRegistry registry, Storage.StoragePools pools, EventBroker events) : IJobHandler
{
    public const string Delete = "image.delete";

    public IReadOnlyCollection<string> Kinds { get; } = [JobKinds.ImageBuild, Delete];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Args<ImageBuildRequest>();
        var image = registry.Require(request.Alias);
        if (context.Job.Kind == Delete)
        {
            // Another alias with the same recipe shares the cached tree; it stays for that one.
            if (!registry.All.Any(i => i.Alias != image.Alias && i.Fingerprint == image.Fingerprint))
            {
                await ImageStore.RemoveTreeAsync(store.ImageDir(image)).ConfigureAwait(false);
            }

            if (registry.CustomOf(image.Alias) is not null)
            {
                await registry.ForgetAsync(image.Alias, context.CancellationToken).ConfigureAwait(false);
            }

            // Pools keep copies of images to make containers from; those of images gone from the registry go too, unless containers stand on them.
            await pools.PruneImagesAsync(registry.All.Select(i => i.Fingerprint).ToHashSet(StringComparer.Ordinal), context.CancellationToken).ConfigureAwait(false);

            events.Publish("lifecycle", "image.deleted", image.Alias, context.Job.Id);
            return;
        }

        if (request.Force)
        {
            await store.RebuildAsync(image, context, context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.EnsureAsync(image, context, context.CancellationToken).ConfigureAwait(false);
        }

        events.Publish("lifecycle", "image.built", image.Alias, context.Job.Id, image.Fingerprint);
    }

    // A build happens aside and appears by rename, so an interrupted one left nothing in the cache.
    public Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(new JobRecovery(false, "the build was abandoned; the cache holds the previous image, if any"));
}
