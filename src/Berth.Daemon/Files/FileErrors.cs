using Berth.Daemon.Errors;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>Where failures on a container's files become the problems the API answers with.</summary>
public static class FileErrors
{
    public static DomainError From(TreeException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Fault switch
        {
            TreeFault.NotFound => DomainError.NotFound("File not found", $"{exception.Message}."),
            TreeFault.Unsafe => DomainError.Conflict("Unsafe path in the container", $"Unsafe path in the container: {exception.Message}."),
            TreeFault.NoSpace => DomainError.OutOfSpace("Out of space", $"{exception.Message}; the container's storage pool is full, and the file was left as it was."),
            TreeFault.NotEmpty => DomainError.Conflict("Directory not empty", $"{exception.Message}; pass recursive=true to delete it with everything in it."),
            _ => DomainError.Conflict("Cannot change the file", $"{exception.Message}."),
        };
    }

    public static DomainError Missing(ContainerFilePath path, string container) =>
        DomainError.NotFound("File not found", $"{path} does not exist in container '{container}'.");

    public static DomainError MissingDirectory(ContainerFilePath path, string container) =>
        DomainError.NotFound("Directory not found", $"the directory {path} does not exist in container '{container}'; pass mkdirs=true to create it.");
}
