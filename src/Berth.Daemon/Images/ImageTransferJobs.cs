using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Images;

/// <summary>Runs image.publish (a container or snapshot becomes an image), image.export and image.import jobs.</summary>
public sealed class ImageTransferJobs(
    ImageRegistry registry,
    ImageStore store,
    ContainerStore containers,
    StoragePools pools,
    LxcRuntime runtime,
    EventBroker events,
    TimeProvider time,
    ILogger<ImageTransferJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [ImageService.PublishKind, ImageService.ExportKind, ImageService.ImportKind];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<ImageTransferArgs>();
        return context.Job.Kind switch
        {
            ImageService.PublishKind => PublishAsync(context, args),
            ImageService.ExportKind => ExportAsync(context, args),
            _ => ImportAsync(context, args),
        };
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<ImageTransferArgs>(job.Args, BerthJson.Options)!;
        if (job.Kind == ImageService.ExportKind)
        {
            Storage.ContainerArchive.RemovePartial(args.File!);
            File.Delete(ImageArchive.ChecksumFile(args.File!) + ".partial");
            return new JobRecovery(false, "the half-written archive was removed; export again");
        }

        // The registry row is written last: without it, the files stored for the image are removed (unless another alias shares them).
        if (registry.Find(args.Alias) is { } known && known.Fingerprint == args.Fingerprint && store.GetCached(known) is not null)
        {
            return new JobRecovery(true, $"image '{args.Alias}' had been stored before the restart");
        }

        await RemoveUnsharedAsync(args.Fingerprint).ConfigureAwait(false);
        return new JobRecovery(false, $"the half-made image '{args.Alias}' was removed; {(job.Kind == ImageService.PublishKind ? "publish" : "import")} it again");
    }

    private async Task PublishAsync(JobContext context, ImageTransferArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var record = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        if (args.Snapshot is null && runtime.GetStatus(name) != ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container running", $"'{name}' was started before it could be published; stop it and publish again.");
        }

        registry.RequireFreeAlias(args.Alias);
        var origin = registry.Find(record.Image);
        var image = new ImageDefinition(args.Alias, origin?.Os ?? "unknown", origin?.Release ?? "", args.Recipe!)
        {
            Packages = origin?.Packages ?? [],
            LxcProfile = record.LxcProfile ?? origin?.LxcProfile,
            HaltSignal = record.HaltSignal ?? origin?.HaltSignal,
            Origin = ImageOrigin.Published,
        };

        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, name, ct).ConfigureAwait(false);
        await using var tree = args.Snapshot is null
            ? new SnapshotTree(driver.RootfsPath(pool, name), driver.HostRootShift(pool, name))
            : await driver.OpenSnapshotAsync(pool, name, args.Snapshot, ct).ConfigureAwait(false);
        var source = $"published from {name}{(args.Snapshot is null ? "" : $" (snapshot {args.Snapshot})")}";

        await using var reverter = new Reverter(logger);
        context.Report($"copying {name}{(args.Snapshot is null ? "" : $" (snapshot {args.Snapshot})")} into the image cache");
        var metadata = await store.StoreAsync(image, staging => CopyTreeAsync(tree.Path, tree.Shift, staging, ct), null, context, replace: false, ct).ConfigureAwait(false);
        reverter.Add("remove the stored image", () => RemoveUnsharedAsync(image.Fingerprint));

        await registry.AddAsync(
            new CustomImage { Alias = image.Alias, Origin = ImageOrigin.Published, Base = record.Image, Packages = image.Packages, CreatedAt = time.GetUtcNow(), Metadata = metadata, Source = source, Owner = args.Owner },
            ct).ConfigureAwait(false);
        reverter.Success();
        events.Publish("lifecycle", "image.published", image.Alias, context.Job.Id, source);
    }

    private async Task ExportAsync(JobContext context, ImageTransferArgs args)
    {
        var ct = context.CancellationToken;
        var image = registry.Require(args.Alias);
        var cached = await store.EnsureAsync(image, context, ct).ConfigureAwait(false);

        // The cache's image.json may name another alias of the same recipe: the archive names the exported one.
        var metadata = cached with
        {
            Alias = image.Alias,
            Packages = image.Packages,
            LxcProfile = image.LxcProfile,
            HaltSignal = image.HaltSignal,
        };
        var sha256 = await ImageArchive.ExportAsync(metadata, store.RootfsPath(image), args.File!, context, ct).ConfigureAwait(false);
        events.Publish("lifecycle", "image.exported", image.Alias, context.Job.Id, $"{args.File} sha256 {sha256}");
    }

    private async Task ImportAsync(JobContext context, ImageTransferArgs args)
    {
        var ct = context.CancellationToken;
        var file = args.File!;
        if (args.Sha256 is { } expected)
        {
            await ImageArchive.VerifyAsync(file, expected, context, ct).ConfigureAwait(false);
        }
        else
        {
            context.Report($"no {ImageArchive.ChecksumFile(file)} to check against; relying on the archive's own checksums");
        }

        var metadata = await ImageArchive.PeekAsync(file, ct).ConfigureAwait(false);
        if (metadata.Fingerprint != args.Fingerprint)
        {
            throw DomainError.Conflict("Archive changed", $"{file} was replaced after the import was asked for; import it again.");
        }

        var known = registry.Find(args.Alias);
        var image = known ?? new ImageDefinition(args.Alias, metadata.Os, metadata.Release, metadata.Recipe)
        {
            Packages = metadata.Packages,
            LxcProfile = metadata.LxcProfile,
            HaltSignal = metadata.HaltSignal,
            Origin = ImageOrigin.Imported,
        };

        await using var reverter = new Reverter(logger);
        var wasCached = store.GetCached(image) is not null;
        var stored = await store.StoreAsync(image, staging => ImageArchive.ExtractAsync(file, staging, context, ct), metadata.CreatedAt, context, replace: false, ct).ConfigureAwait(false);
        if (!wasCached)
        {
            reverter.Add("remove the stored image", () => RemoveUnsharedAsync(image.Fingerprint));
        }

        if (known is null)
        {
            await registry.AddAsync(
                new CustomImage { Alias = args.Alias, Origin = ImageOrigin.Imported, Packages = metadata.Packages, CreatedAt = time.GetUtcNow(), Metadata = stored with { Alias = args.Alias }, Source = $"imported from {file}" },
                ct).ConfigureAwait(false);
        }

        reverter.Success();
        events.Publish("lifecycle", "image.imported", args.Alias, context.Job.Id, wasCached ? "already in the cache" : file);
    }

    /// <summary>Copies a container's tree into STAGING/rootfs as the container sees it (owners unshifted), without its machine identity.</summary>
    private static async Task CopyTreeAsync(string tree, long? shift, string staging, CancellationToken ct)
    {
        var rootfs = Path.Combine(staging, "rootfs");
        Directory.CreateDirectory(rootfs);
        var unshift = shift is null ? [] : await ContainerArchive.UnshiftOptionsAsync(tree, shift.Value, staging, ct).ConfigureAwait(false);
        await CommandPipe.RunAsync(
            ["tar", "-c", "-f", "-", .. ContainerArchive.TarMetadata, .. unshift, "-C", tree, "."],
            ["tar", "-x", "-f", "-", .. ContainerArchive.TarMetadata, "-C", rootfs],
            null,
            ct).ConfigureAwait(false);
        foreach (var map in new[] { "owners", "groups" }.Select(f => Path.Combine(staging, f)))
        {
            File.Delete(map);
        }

        // Each container made from the image gets its own machine id at first boot (and its own SSH host keys at launch).
        try
        {
            using var root = RootfsDirectory.Open(rootfs);
            MachineId.Forget(root);
        }
        catch (UnsafeRootfsPathException ex)
        {
            throw RootfsFiles.Refusal(ex);
        }
    }

    /// <summary>Removes a fingerprint's cached files unless an image still uses them.</summary>
    private async Task RemoveUnsharedAsync(string fingerprint)
    {
        if (!registry.All.Any(i => i.Fingerprint == fingerprint))
        {
            await ImageStore.RemoveTreeAsync(Path.Combine(store.ImagesDir, fingerprint)).ConfigureAwait(false);
        }
    }
}
