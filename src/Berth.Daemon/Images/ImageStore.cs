using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Images;

/// <summary>
/// The cache of built root filesystems: IMAGES/FINGERPRINT/{rootfs,image.json}. A build happens once per recipe,
/// also across daemons sharing the directory (a file lock), and appears atomically (built aside, then renamed).
/// </summary>
public sealed partial class ImageStore(StatePaths paths, DebianImageBuilder debian, ILogger<ImageStore> logger)
{
    private readonly SemaphoreSlim _buildLock = new(1, 1);

    /// <summary>The cache directory: one FINGERPRINT/ directory per image.</summary>
    public string ImagesDir => paths.Images;

    public string ImageDir(ImageDefinition image) => Path.Combine(paths.Images, image.Fingerprint);

    public string RootfsPath(ImageDefinition image) => Path.Combine(ImageDir(image), "rootfs");

    public ImageMetadata? GetCached(ImageDefinition image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var file = Path.Combine(ImageDir(image), "image.json");
        return File.Exists(file) ? JsonSerializer.Deserialize<ImageMetadata>(File.ReadAllText(file), BerthJson.Options) : null;
    }

    /// <summary>Returns the cached image, building it first when it is not cached yet.</summary>
    public async Task<ImageMetadata> EnsureAsync(ImageDefinition image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (GetCached(image) is { } cached)
        {
            return cached;
        }

        if (!image.Buildable)
        {
            throw DomainError.Conflict("Image files missing", $"the files of image '{image.Alias}' are not in the image cache ({ImageDir(image)}), and it has no recipe to build it from; import or publish it again.");
        }

        await EnsureBaseAsync(image, progress, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(image, staging => BuildIntoAsync(image, staging, progress, cancellationToken), null, progress, replace: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the image again and replaces the cached one.</summary>
    public Task<ImageMetadata> RebuildAsync(ImageDefinition image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!image.Buildable)
        {
            throw DomainError.Invalid("Image cannot be rebuilt", $"'{image.Alias}' was {image.Origin.ToString().ToLowerInvariant()}, not built from a recipe; there is nothing to build it from.");
        }

        return RebuildOnBaseAsync(image, progress, cancellationToken);
    }

    private async Task<ImageMetadata> RebuildOnBaseAsync(ImageDefinition image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await EnsureBaseAsync(image, progress, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(image, staging => BuildIntoAsync(image, staging, progress, cancellationToken), null, progress, replace: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An image that adds packages to a plain Debian image is built from a copy of that one, so the plain one comes first (outside the build lock it takes itself).</summary>
    private async Task EnsureBaseAsync(ImageDefinition image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (ImageCatalog.BaseOf(image) is { } baseImage)
        {
            await EnsureAsync(baseImage, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts an image into the cache: <paramref name="fill"/> writes the root filesystem into STAGING/rootfs, then
    /// image.json is written and the directory appears under its fingerprint by rename. Holds the fingerprint's lock
    /// throughout, so daemons sharing the cache never see or remove a half-made image. Without
    /// <paramref name="replace"/>, an image that is cached already is kept and <paramref name="fill"/> does not run.
    /// </summary>
    public async Task<ImageMetadata> StoreAsync(
        ImageDefinition image,
        Func<string, Task> fill,
        DateTimeOffset? createdAt,
        IProgress<string> progress,
        bool replace,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentNullException.ThrowIfNull(progress);
        // Builds run one at a time (debootstrap is heavy); publishing and importing only wait for their own fingerprint.
        var serialised = image.Buildable;
        if (serialised)
        {
            await _buildLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var fileLock = await AcquireFileLockAsync(image, progress, cancellationToken).ConfigureAwait(false);
            if (!replace && GetCached(image) is { } cached)
            {
                return cached;
            }

            return await FillAndPlaceAsync(image, fill, createdAt, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (serialised)
            {
                _buildLock.Release();
            }
        }
    }

    private async Task BuildIntoAsync(ImageDefinition image, string staging, IProgress<string> progress, CancellationToken cancellationToken)
    {
        LogBuilding(logger, image.Alias, image.Fingerprint);
        progress.Report($"building image {image.Alias}");
        var rootfs = Path.Combine(staging, "rootfs");
        if (image.Suite is null)
        {
            await BusyboxImageBuilder.BuildAsync(rootfs, cancellationToken).ConfigureAwait(false);
        }
        else if (ImageCatalog.BaseOf(image) is { } baseImage && GetCached(baseImage) is not null)
        {
            await DebianImageBuilder.DeriveAsync(baseImage, RootfsPath(baseImage), ImageCatalog.ExtraPackages(image, baseImage), rootfs, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await debian.BuildAsync(image, rootfs, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ImageMetadata> FillAndPlaceAsync(ImageDefinition image, Func<string, Task> fill, DateTimeOffset? createdAt, IProgress<string> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(paths.Images);
        var staging = Path.Combine(paths.Images, $".build-{image.Fingerprint[..12]}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await fill(staging).ConfigureAwait(false);
            var size = await MeasureAsync(Path.Combine(staging, "rootfs"), cancellationToken).ConfigureAwait(false);
            var metadata = new ImageMetadata
            {
                Alias = image.Alias,
                Fingerprint = image.Fingerprint,
                Os = image.Os,
                Release = image.Release,
                Architecture = HostArchitecture,
                Recipe = image.Recipe,
                SizeBytes = size,
                CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
                Packages = image.Packages,
                LxcProfile = image.LxcProfile,
                HaltSignal = image.HaltSignal,
            };
            await File.WriteAllTextAsync(Path.Combine(staging, "image.json"), JsonSerializer.Serialize(metadata, BerthJson.Options), cancellationToken).ConfigureAwait(false);

            var target = ImageDir(image);
            if (Directory.Exists(target))
            {
                var old = target + $".old-{Guid.NewGuid():N}";
                Directory.Move(target, old);
                Directory.Move(staging, target);
                await RemoveTreeAsync(old).ConfigureAwait(false);
            }
            else
            {
                Directory.Move(staging, target);
            }

            progress.Report($"image {image.Alias} stored ({size / 1024 / 1024} MiB)");
            return metadata;
        }
        catch
        {
            await RemoveTreeAsync(staging).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The architecture images built here are for, as .NET names it (x64, arm64).</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>
    /// Removes builds a killed daemon left half-done (a ".build-*" directory whose image nobody is building now),
    /// after stopping any builder process still writing into it.
    /// </summary>
    public async Task RemoveAbandonedBuildsAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(paths.Images))
        {
            return;
        }

        foreach (var staging in Directory.GetDirectories(paths.Images, ".build-*"))
        {
            var prefix = Path.GetFileName(staging)[".build-".Length..].Split('-')[0];
            var lockFile = Directory.GetFiles(paths.Images, prefix + "*.lock").FirstOrDefault();
            FileStream? held = null;
            try
            {
                held = lockFile is null ? null : new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // Another daemon sharing the cache is building it right now.
            }

            try
            {
                await ChildProcesses.KillWritersAsync(staging, cancellationToken).ConfigureAwait(false);
                await RemoveTreeAsync(staging).ConfigureAwait(false);
                LogRemovedAbandoned(logger, staging);
            }
            finally
            {
                held?.Dispose();
            }
        }
    }

    private async Task<FileStream> AcquireFileLockAsync(ImageDefinition image, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var path = Path.Combine(paths.Images, image.Fingerprint + ".lock");
        var reported = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix, so a second daemon sharing the cache waits here.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!reported)
                {
                    progress.Report($"waiting for another build of {image.Alias}");
                    reported = true;
                }

                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> MeasureAsync(string path, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("du", ["-sb", path], cancellationToken).ConfigureAwait(false);
        return long.Parse(result.Stdout.Split('\t', 2)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Removes a tree without following symlinks or crossing into other filesystems.</summary>
    public static async Task RemoveTreeAsync(string path)
    {
        if (Directory.Exists(path) || File.Exists(path))
        {
            await CommandRunner.RunAsync("rm", ["-rf", "--one-file-system", "--", path]).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed the abandoned image build {Path}")]
    private static partial void LogRemovedAbandoned(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Building image {Alias} ({Fingerprint})")]
    private static partial void LogBuilding(ILogger logger, string alias, string fingerprint);
}
