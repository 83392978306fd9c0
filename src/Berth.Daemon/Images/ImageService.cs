using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Images;

/// <summary>Publishing, exporting and importing images: checked here (a problem, nothing changed), then handed to a job.</summary>
public sealed class ImageService(
    ImageRegistry registry,
    ImageStore store,
    ContainerStore containers,
    StorageStore storage,
    LxcRuntime runtime,
    JobQueue jobs,
    TimeProvider time)
{
    public const string PublishKind = "image.publish";
    public const string ExportKind = "image.export";
    public const string ImportKind = "image.import";

    /// <summary>A member publishes their own containers only, into an image of their own; an admin's images are everybody's.</summary>
    public async Task<JobRecord> PublishAsync(Access.Caller caller, ImagePublishRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var record = (ContainerName.IsValid(request.Container) ? await containers.GetAsync(request.Container, cancellationToken).ConfigureAwait(false) : null) is { } found && caller.MayUse(found.Owner)
            ? found
            : throw Containers.ContainerName.NotFound(request.Container);
        if (record.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(record.Name))
        {
            throw DomainError.Conflict("Container busy", $"'{record.Name}' is being created or deleted, or is missing.");
        }

        registry.RequireFreeAlias(request.Alias);
        if (request.Snapshot is null)
        {
            if (runtime.GetStatus(record.Name) != ContainerStatus.Stopped)
            {
                throw DomainError.Conflict("Container running", $"'{record.Name}' must be stopped to be published; stop it first, or publish a snapshot of it (POST /api/v1/containers/{record.Name}/snapshots, then snapshot: SNAP).");
            }
        }
        else
        {
            if (!(await storage.ListSnapshotsAsync(record.Name, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == request.Snapshot))
            {
                throw DomainError.NotFound("Snapshot not found", $"'{record.Name}' has no snapshot named '{request.Snapshot}'; GET /api/v1/containers/{record.Name}/snapshots lists them.");
            }
        }

        var recipe = $"published {record.Name}{(request.Snapshot is null ? "" : "@" + request.Snapshot)} {time.GetUtcNow():O} {Guid.NewGuid():N}";
        var fingerprint = new ImageDefinition(request.Alias, "", "", recipe).Fingerprint;
        return await jobs.SubmitAsync(
            PublishKind,
            record.Name,
            new ImageTransferArgs { Alias = request.Alias, Fingerprint = fingerprint, Container = record.Name, Snapshot = request.Snapshot, Recipe = recipe, Owner = caller.IsAdmin ? null : caller.Name },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> ExportAsync(ImageExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var image = registry.Require(request.Alias);
        var file = StorageService.ArchivePath(request.File);
        foreach (var existing in new[] { file, ImageArchive.ChecksumFile(file) }.Where(File.Exists))
        {
            throw DomainError.Conflict("File exists", $"{existing} already exists; choose another file name or remove it first.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(file)))
        {
            throw DomainError.Invalid("No such directory", $"the directory of {file} does not exist on the host.");
        }

        if (!image.Buildable && store.GetCached(image) is null)
        {
            throw DomainError.Conflict("Image files missing", $"the files of image '{image.Alias}' are not in the image cache; there is nothing to export.");
        }

        return await jobs.SubmitAsync(ExportKind, "image:" + image.Fingerprint, new ImageTransferArgs { Alias = image.Alias, Fingerprint = image.Fingerprint, File = file }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> ImportAsync(ImageImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = StorageService.ArchivePath(request.File);
        if (!File.Exists(file))
        {
            throw DomainError.Invalid("Archive not found", $"there is no file {file} on the host.");
        }

        var sha256 = await ImageArchive.ExpectedSha256Async(file, request.Sha256, cancellationToken).ConfigureAwait(false);
        var metadata = await ImageArchive.PeekAsync(file, cancellationToken).ConfigureAwait(false);
        var alias = request.Alias ?? metadata.Alias;
        if (registry.Find(alias) is { } known)
        {
            if (known.Fingerprint != metadata.Fingerprint)
            {
                throw DomainError.Conflict("Alias taken", $"an image named '{alias}' already exists and is a different image; import under another name (alias: NAME).");
            }
        }
        else
        {
            registry.RequireFreeAlias(alias);
        }

        return await jobs.SubmitAsync(
            ImportKind,
            "image:" + metadata.Fingerprint,
            new ImageTransferArgs { Alias = alias, Fingerprint = metadata.Fingerprint, File = file, Sha256 = sha256 },
            cancellationToken).ConfigureAwait(false);
    }
}
