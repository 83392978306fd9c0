using System.Text;
using Berth.Daemon.Api;
using Berth.Daemon.Native;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// Reads and writes files in a container's root filesystem from the host, whatever its pool: the tree is made ready
/// (mounted, for overlay), opened as a directory descriptor and used without following any link the container
/// planted (see <see cref="RootfsDirectory"/>); on pools that store files shifted new files belong to the container's root.
/// </summary>
public sealed class RootfsFiles(StoragePools pools)
{
    private const UnixFileMode DefaultDirectoryMode = (UnixFileMode)0b111_101_101;

    /// <summary>Writes <paramref name="relativePath"/> (e.g. etc/hostname) with <paramref name="mode"/>, creating its directories (mode 0755, or <paramref name="directoryMode"/>).</summary>
    public Task WriteAsync(string container, string relativePath, string content, UnixFileMode mode, CancellationToken cancellationToken, UnixFileMode? directoryMode = null) =>
        UseAsync(container, root => root.Write(relativePath, Encoding.UTF8.GetBytes(content), mode, directoryMode ?? DefaultDirectoryMode), cancellationToken);

    /// <summary>Reads a file of the root filesystem, or null when it does not exist; refuses symbolic links on the way.</summary>
    public Task<string?> ReadAsync(string container, string relativePath, CancellationToken cancellationToken) =>
        UseAsync(container, root => root.Read(relativePath) is { } bytes ? Encoding.UTF8.GetString(bytes) : null, cancellationToken);

    /// <summary>Removes a file (or a link itself) of the root filesystem; false when it was not there.</summary>
    public Task<bool> DeleteAsync(string container, string relativePath, CancellationToken cancellationToken) =>
        UseAsync(container, root => root.Delete(relativePath), cancellationToken);

    /// <summary>Gives files some tool wrote into the root filesystem (as host root) to the container's root, on pools that store files shifted.</summary>
    public Task OwnAsync(string container, IReadOnlyList<string> relativePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        return UseAsync(
            container,
            root =>
            {
                foreach (var path in relativePaths)
                {
                    root.Own(path);
                }
            },
            cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/> on the container's opened root filesystem; a link on the way is refused as an unsafe path (409).</summary>
    public async Task<T> UseAsync<T>(string container, Func<RootfsDirectory, T> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var pool = await pools.PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, container, cancellationToken).ConfigureAwait(false);
        try
        {
            using var root = RootfsDirectory.Open(driver.RootfsPath(pool, container), driver.HostRootShift(pool, container));
            return action(root);
        }
        catch (UnsafeRootfsPathException ex)
        {
            throw Refusal(ex);
        }
    }

    /// <inheritdoc cref="UseAsync{T}"/>
    public Task UseAsync(string container, Action<RootfsDirectory> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        return UseAsync(
            container,
            root =>
            {
                action(root);
                return true;
            },
            cancellationToken);
    }

    /// <summary>The problem a link planted in a container's files becomes, wherever Berth met it.</summary>
    public static DomainError Refusal(UnsafeRootfsPathException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return DomainError.Conflict(
            "Unsafe path in the container",
            $"Unsafe path in the container: {exception.Message}; Berth does not follow links in a container's files, so replace it with a real file or directory inside the container.");
    }
}
