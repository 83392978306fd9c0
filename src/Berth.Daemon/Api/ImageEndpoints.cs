using Berth.Contracts;
using Berth.Daemon.Images;
using Berth.Daemon.Jobs;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/images.</summary>
public static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/images").WithTags("Images");
        group.MapGet("", (ImageStore store) => ImageCatalog.All.Select(image =>
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
            };
        }));
        group.MapPost("", async (ImageBuildRequest request, JobQueue jobs, CancellationToken ct) =>
        {
            var image = ImageCatalog.Find(request.Alias)
                ?? throw BerthProblem.NotFound("Image not found", $"unknown image '{request.Alias}'; known images: {string.Join(", ", ImageCatalog.All.Select(i => i.Alias))}.");
            return JobResults.Accepted(await jobs.SubmitAsync(JobKinds.ImageBuild, "image:" + image.Alias, new ImageBuildRequest { Alias = image.Alias }, ct).ConfigureAwait(false));
        });
    }
}
