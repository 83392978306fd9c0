using System.Security.Cryptography;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Images;

/// <summary>
/// The portable image archive (docs/archive-format.md): a zstd-compressed tar holding image.json, then rootfs/, with
/// numeric owners, extended attributes and ACLs; next to it FILE.sha256 in sha256sum's format, checked on import.
/// </summary>
public static class ImageArchive
{
    /// <summary>Where the checksum of <paramref name="file"/> is written, and looked for when importing it.</summary>
    public static string ChecksumFile(string file) => file + ".sha256";

    /// <summary>Writes <paramref name="metadata"/> and the tree at <paramref name="rootfs"/> to <paramref name="file"/>, then its checksum file; returns the sha256.</summary>
    public static async Task<string> ExportAsync(ImageMetadata metadata, string rootfs, string file, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(progress);
        var staging = Directory.CreateTempSubdirectory("berth-image-export-").FullName;
        var partial = ContainerArchive.PrivatePartial(file);
        var partialChecksum = ChecksumFile(file) + ".partial";
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, "image.json"), JsonSerializer.Serialize(metadata, BerthJson.Options), cancellationToken).ConfigureAwait(false);
            var expected = metadata.SizeBytes;
            await CommandPipe.RunAsync(
                [
                    ["tar", "-c", "-f", "-", .. ContainerArchive.TarMetadata, "-C", staging, "image.json"],
                    ["tar", "-c", "-f", "-", .. ContainerArchive.TarMetadata, "-C", Path.GetDirectoryName(rootfs)!, Path.GetFileName(rootfs)],
                ],
                ["zstd", "-q", "-T0", "-f", "-o", partial],
                new ContainerArchive.ByteProgress("exporting", expected, progress).Report,
                cancellationToken).ConfigureAwait(false);

            progress.Report("computing sha256");
            var sha256 = await Sha256Async(partial, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(partialChecksum, $"{sha256}  {Path.GetFileName(file)}\n", cancellationToken).ConfigureAwait(false);
            File.Move(partial, file, overwrite: false);
            File.Move(partialChecksum, ChecksumFile(file), overwrite: false);
            progress.Report($"sha256 {sha256}");
            return sha256;
        }
        catch
        {
            File.Delete(partialChecksum);
            throw;
        }
        finally
        {
            ContainerArchive.RemovePartial(file);
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Reads only image.json, the first member, and checks it describes an image this host can use.</summary>
    public static async Task<ImageMetadata> PeekAsync(string file, CancellationToken cancellationToken) =>
        CheckMetadata(await ContainerArchive.PeekJsonAsync<ImageMetadata>(file, "image.json", "image archive", cancellationToken).ConfigureAwait(false), file);

    /// <summary>The sha256 <paramref name="file"/> must have: the one asked for, else the one in FILE.sha256, else null (nothing to check against).</summary>
    public static async Task<string?> ExpectedSha256Async(string file, string? requested, CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            return IsSha256(requested.Trim().ToLowerInvariant())
                ? requested.Trim().ToLowerInvariant()
                : throw DomainError.Invalid("Invalid sha256", $"'{requested}' is not a sha256 checksum (64 hexadecimal digits).");
        }

        var checksumFile = ChecksumFile(file);
        if (!File.Exists(checksumFile))
        {
            return null;
        }

        var first = (await File.ReadAllTextAsync(checksumFile, cancellationToken).ConfigureAwait(false)).Split([' ', '\t', '\n'], 2)[0].ToLowerInvariant();
        return IsSha256(first)
            ? first
            : throw DomainError.Invalid("Invalid checksum file", $"{checksumFile} does not start with a sha256 checksum; remove it or give the checksum as sha256.");
    }

    /// <summary>Fails (nothing changed) unless <paramref name="file"/>'s sha256 is <paramref name="expected"/>.</summary>
    public static async Task VerifyAsync(string file, string expected, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        progress.Report("checking sha256");
        var actual = await Sha256Async(file, cancellationToken).ConfigureAwait(false);
        if (actual != expected)
        {
            throw DomainError.Invalid("Checksum mismatch", $"{file} has sha256 {actual}, but {expected} was expected: the file is damaged or not the one exported; nothing was imported.");
        }
    }

    /// <summary>Unpacks the archive's rootfs/ into <paramref name="target"/>/rootfs; throws a 400 problem for a corrupt or truncated file.</summary>
    public static async Task ExtractAsync(string file, string target, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var expected = new FileInfo(file).Length * 3;
        await ArchiveEntries.CheckAsync(file, name => name is "image.json" || name.Split('/')[0] == "rootfs", "image archive", cancellationToken).ConfigureAwait(false);
        try
        {
            await CommandPipe.RunAsync(
                ["zstd", "-q", "-d", "-c", "--", file],
                ["tar", "-x", "--ignore-zeros", "-f", "-", .. ContainerArchive.TarMetadata, "-C", target, "rootfs"],
                new ContainerArchive.ByteProgress("importing", expected, progress).Report,
                cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException ex) when (!OutOfSpace.IsCause(ex))
        {
            throw DomainError.Invalid("Corrupt image archive", $"{file} is not a complete Berth image archive ({ex.Message}); nothing was imported.");
        }

        if (!Directory.Exists(Path.Combine(target, "rootfs")))
        {
            throw DomainError.Invalid("Not a Berth image archive", $"{file} holds no rootfs/; nothing was imported.");
        }
    }

    private static ImageMetadata CheckMetadata(ImageMetadata? metadata, string file)
    {
        if (metadata is null || metadata.Format != ImageMetadata.Kind)
        {
            throw DomainError.Invalid("Not a Berth image archive", $"{file} has no valid image.json; nothing was imported.");
        }

        if (metadata.Version > ImageMetadata.CurrentVersion)
        {
            throw DomainError.Invalid("Image archive too new", $"{file} is format version {metadata.Version}; this Berth reads up to {ImageMetadata.CurrentVersion}.");
        }

        if (metadata.Problems() is { Count: > 0 } problems)
        {
            throw DomainError.Invalid("Invalid image archive", $"{file}'s image.json is not valid: {string.Join("; ", problems)}; nothing was imported.");
        }

        if (new ImageDefinition(metadata.Alias, metadata.Os, metadata.Release, metadata.Recipe).Fingerprint != metadata.Fingerprint)
        {
            throw DomainError.Invalid("Inconsistent image archive", $"{file}'s image.json gives fingerprint {metadata.Fingerprint}, which is not the sha256 of its recipe; nothing was imported.");
        }

        if (metadata.Architecture != ImageStore.HostArchitecture)
        {
            throw DomainError.Invalid("Wrong architecture", $"{file} holds an image for {metadata.Architecture}; this host runs {ImageStore.HostArchitecture}.");
        }

        return metadata;
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
