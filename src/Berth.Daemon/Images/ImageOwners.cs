using Berth.Daemon.Access;

namespace Berth.Daemon.Images;

/// <summary>An image a member published is theirs; the built-in images and root's and admins' are everybody's to use.</summary>
public sealed class ImageOwners(ImageRegistry registry) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Image;

    public Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(registry.Find(name) is { } image
            ? registry.CustomOf(image.Alias)?.Owner is { } owner ? new OwnerLookup(owner) : new OwnerLookup(null, Shared: true)
            : null);

    public Exception NotFound(string name) =>
        Errors.DomainError.NotFound("Image not found", $"unknown image '{name}'; GET /api/v1/images lists the images you may use.");
}
