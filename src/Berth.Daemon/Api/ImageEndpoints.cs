using Berth.Contracts;
using Berth.Daemon.Images;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/images.</summary>
public static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/images").WithTags("Images");
        group.MapGet("", async (Caller caller, ImageRegistry registry, ImageStore store, ContainerStore containers, CancellationToken ct) =>
        {
            var usage = await UsageAsync(caller, containers, ct).ConfigureAwait(false);
            return registry.VisibleTo(caller).Select(image => Describe(image, registry, store, usage));
        }).Reads();
        group.MapGet("/{**alias}", async (string alias, Caller caller, ImageRegistry registry, ImageStore store, ContainerStore containers, CancellationToken ct) =>
            Describe(registry.Require(alias, caller), registry, store, await UsageAsync(caller, containers, ct).ConfigureAwait(false))).Reads(ObjectKind.Image, "alias");
        group.MapPost("", async (ImageBuildRequest request, ImageRegistry registry, JobQueue jobs, CancellationToken ct) =>
        {
            var image = registry.Require(request.Alias);
            if (!image.Buildable && (request.Force || request.Packages is { Count: > 0 }))
            {
                throw DomainError.Invalid("Image cannot be rebuilt", $"'{image.Alias}' was {image.Origin.ToString().ToLowerInvariant()}, not built from a recipe; it cannot be built again or extended with packages (launch it, install the packages, and publish that).");
            }

            if (request.Packages is { Count: > 0 } || request.As is not null)
            {
                var alias = request.As ?? throw DomainError.Invalid("Alias needed", "an image with added packages needs a name of its own: give as: NAME.");
                image = await registry.DefineAsync(request.Alias, request.Packages ?? [], alias, ct).ConfigureAwait(false);
            }

            return JobResults.Accepted(await jobs.SubmitAsync(JobKinds.ImageBuild, "image:" + image.Fingerprint, new ImageBuildRequest { Alias = image.Alias, Force = request.Force }, ct).ConfigureAwait(false));
        }).AdminChanges();
        group.MapPost("/publish", async (ImagePublishRequest request, Caller caller, ImageService images, CancellationToken ct) =>
            JobResults.Accepted(await images.PublishAsync(caller, request, ct).ConfigureAwait(false))).Changes();
        group.MapPost("/export", async (ImageExportRequest request, ImageService images, CancellationToken ct) =>
            JobResults.Accepted(await images.ExportAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        group.MapPost("/import", async (ImageImportRequest request, ImageService images, CancellationToken ct) =>
            JobResults.Accepted(await images.ImportAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        group.MapDelete("/{**alias}", async (string alias, bool? force, Caller caller, ImageRegistry registry, ContainerStore containers, JobQueue jobs, CancellationToken ct) =>
        {
            var image = registry.Require(alias, caller);
            if (!caller.IsAdmin && registry.CustomOf(image.Alias)?.Owner is null)
            {
                throw DomainError.Forbidden("Admins only", $"'{alias}' is everybody's image; only an admin deletes it (a member deletes the images they published).");
            }

            var users = (await containers.ListAsync(ct).ConfigureAwait(false)).Where(c => c.Image == image.Alias).Select(c => c.Name).ToList();
            if (users.Count > 0 && force != true)
            {
                throw DomainError.Conflict("Image in use", $"{users.Count} container(s) were created from '{alias}' ({string.Join(", ", users.Take(5))}); delete them first, or force (they keep their own copies).");
            }

            return JobResults.Accepted(await jobs.SubmitAsync(ImageJobs.Delete, "image:" + image.Fingerprint, new ImageBuildRequest { Alias = image.Alias }, ct).ConfigureAwait(false));
        }).Changes(ObjectKind.Image, "alias");
    }

    /// <summary>How many containers use each image: of the whole host for admins, of their own for a member.</summary>
    private static async Task<Dictionary<string, int>> UsageAsync(Caller caller, ContainerStore containers, CancellationToken ct) =>
        (await containers.ListAsync(ct, owner: caller.IsAdmin ? null : caller.Name).ConfigureAwait(false)).Where(c => caller.MayUse(c.Owner)).GroupBy(c => c.Image, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static ImageInfo Describe(ImageDefinition image, ImageRegistry registry, ImageStore store, Dictionary<string, int> usage)
    {
        var cached = store.GetCached(image);
        return new ImageInfo
        {
            Alias = image.Alias,
            Fingerprint = image.Fingerprint,
            Os = image.Os,
            Release = image.Release,
            Architecture = cached?.Architecture ?? System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            Cached = cached is not null,
            SizeBytes = cached?.SizeBytes,
            CreatedAt = cached?.CreatedAt,
            Base = registry.CustomOf(image.Alias)?.Base,
            Origin = image.Origin.ToString().ToLowerInvariant(),
            Source = registry.CustomOf(image.Alias)?.Source,
            Packages = image.Packages,
            Containers = usage.GetValueOrDefault(image.Alias),
        };
    }
}
