using System.Globalization;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// The portable container archive (docs/archive-format.md): a zstd-compressed tar holding berth.json, rootfs/ and
/// optionally snapshots/NAME/, with numeric owners, extended attributes and ACLs. Written by tar | zstd and read by
/// zstd -d | tar, joined by a kernel pipe (progress comes from the kernel's I/O counters); zstd's checksum catches
/// corruption.
/// </summary>
public static class ContainerArchive
{
    internal static readonly string[] TarMetadata = ["--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls"];

    // Version 1 wrote symbolic link targets renamed along with the members (see RepairOptions).
    private const int FirstVersionWithIntactLinks = 2;

    /// <summary>Where export job <paramref name="jobId"/> writes berth.json and the owner maps, so recovery after a crash finds it.</summary>
    public static string StagingPath(string jobId) => Path.Combine(Path.GetTempPath(), $"berth-export-{jobId}");

    /// <summary>Writes the archive to <paramref name="file"/> (through a temporary name, so a failure leaves no file), using and then removing <paramref name="staging"/>.</summary>
    public static async Task ExportAsync(
        ArchiveManifest manifest,
        string rootfs,
        IReadOnlyList<(string Name, string Path, long? Shift)> snapshots,
        string file,
        long? shift,
        string staging,
        IProgress<string> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(progress);
        if (File.Exists(file))
        {
            throw DomainError.Conflict("File exists", $"{file} already exists; choose another file name or remove it first.");
        }

        // Private to root: the staging directory holds the container's manifest and id maps.
        Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var partial = PrivatePartial(file);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, "berth.json"), JsonSerializer.Serialize(manifest, BerthJson.Options), cancellationToken).ConfigureAwait(false);
            // One tar per tree, concatenated: each renames its own "." so no two trees' names can be confused.
            var unshift = shift is null ? [] : await UnshiftOptionsAsync(rootfs, shift.Value, staging, cancellationToken).ConfigureAwait(false);
            List<IReadOnlyList<string>> tars = [["tar", "-c", "-f", "-", .. TarMetadata, "-C", staging, "berth.json"], [.. Tree(rootfs, "rootfs"), .. unshift]];
            foreach (var (name, path, snapshotShift) in snapshots)
            {
                var snapshotUnshift = snapshotShift is null ? [] : await UnshiftOptionsAsync(path, snapshotShift.Value, staging, cancellationToken, $"{name}.").ConfigureAwait(false);
                tars.Add([.. Tree(path, $"snapshots/{name}"), .. snapshotUnshift]);
            }

            // Progress counts bytes as they pass: measuring the trees first would cost a walk of its own.
            var reporter = new ByteProgress("exporting", 0, progress);
            await CommandPipe.RunAsync(tars, ["zstd", "-q", "-T0", "-f", "-o", partial], reporter.Report, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(partial, file, overwrite: false);
        }
        finally
        {
            RemovePartial(file);
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Reads only berth.json, the first member, to learn what an archive holds before importing it.</summary>
    /// <param name="shown">How messages name the archive (default: its path).</param>
    public static async Task<ArchiveManifest> PeekAsync(string file, CancellationToken cancellationToken, string? shown = null) =>
        CheckManifest(await PeekJsonAsync<ArchiveManifest>(file, "berth.json", "archive", cancellationToken, shown).ConfigureAwait(false), shown ?? file);

    /// <summary>
    /// Reads the JSON member <paramref name="member"/> that Berth writes first into its archives, without unpacking
    /// the rest; null when it is missing or not JSON of that shape, a 400 problem when the file is no archive at all.
    /// </summary>
    internal static async Task<T?> PeekJsonAsync<T>(string file, string member, string kind, CancellationToken cancellationToken, string? shown = null)
        where T : class
    {
        var scratch = Directory.CreateTempSubdirectory("berth-peek-").FullName;
        try
        {
            try
            {
                await CommandPipe.RunAsync(["zstd", "-q", "-d", "-c", "--", file], ["tar", "-x", "--occurrence=1", "-f", "-", "-C", scratch, member], null, cancellationToken).ConfigureAwait(false);
            }
            catch (CommandFailedException ex)
            {
                throw DomainError.Invalid($"Not a Berth {kind}", $"{shown ?? file} cannot be read as a Berth {kind} ({(shown is null ? ex.Message : "not a zstd-compressed tar")}).");
            }

            return ReadJson<T>(Path.Combine(scratch, member));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    internal static T? ReadJson<T>(string path)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), BerthJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Unpacks <paramref name="file"/> into <paramref name="target"/> (which must not exist) and returns its manifest; throws a 400 problem for a corrupt or foreign file.</summary>
    /// <param name="shown">How messages name the archive (default: its path).</param>
    public static async Task<ArchiveManifest> ExtractAsync(string file, string target, IProgress<string> progress, CancellationToken cancellationToken, string? shown = null)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (!File.Exists(file))
        {
            throw DomainError.Invalid("Archive not found", $"there is no file {shown ?? file} on the host.");
        }

        // Every member is checked before one is written.
        await ArchiveEntries.CheckAsync(file, IsMember, "archive", cancellationToken, shown).ConfigureAwait(false);
        var repair = RepairOptions(await PeekAsync(file, cancellationToken, shown).ConfigureAwait(false));
        if (repair.Count > 0)
        {
            progress.Report("repairing the symbolic links of a version 1 archive while unpacking");
        }

        Directory.CreateDirectory(target);
        var reporter = new ByteProgress("importing", new FileInfo(file).Length * 3, progress);
        try
        {
            await CommandPipe.RunAsync(["zstd", "-q", "-d", "-c", "--", file], ["tar", "-x", "--ignore-zeros", "-f", "-", .. TarMetadata, .. repair, "-C", target], reporter.Report, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException ex) when (!OutOfSpace.IsCause(ex))
        {
            throw DomainError.Invalid("Corrupt archive", $"{shown ?? file} is not a complete Berth archive ({(shown is null ? ex.Message : "tar or zstd could not read it whole")}); nothing was imported.");
        }

        return CheckManifest(ReadJson<ArchiveManifest>(Path.Combine(target, "berth.json")), shown ?? file);
    }

    /// <summary>berth.json, rootfs/... and snapshots/NAME/...: nothing else belongs in a container archive.</summary>
    private static bool IsMember(string name)
    {
        var parts = name.Split('/');
        return name is "berth.json" or "rootfs" or "snapshots"
            || parts[0] == "rootfs"
            || (parts[0] == "snapshots" && Containers.ContainerName.IsValid(parts[1]));
    }

    private static ArchiveManifest CheckManifest(ArchiveManifest? manifest, string file)
    {
        if (manifest is null || manifest.Format != ArchiveManifest.Kind)
        {
            throw DomainError.Invalid("Not a Berth archive", $"{file} has no valid berth.json; nothing was imported.");
        }

        if (manifest.Version > ArchiveManifest.CurrentVersion)
        {
            throw DomainError.Invalid("Archive too new", $"{file} is format version {manifest.Version}; this Berth reads up to {ArchiveManifest.CurrentVersion}.");
        }

        if (manifest.Problems() is { Count: > 0 } problems)
        {
            throw DomainError.Invalid("Invalid archive manifest", $"{file}'s berth.json is not valid: {string.Join("; ", problems)}; nothing was imported.");
        }

        return manifest;
    }

    /// <summary>
    /// A tar writing directory <paramref name="path"/>'s content as <paramref name="memberName"/>/... . The rename
    /// applies to member names and hard link targets (which name members), never to symbolic link targets (flags=rh).
    /// </summary>
    private static IReadOnlyList<string> Tree(string path, string memberName) =>
        ["tar", "-c", "-f", "-", .. TarMetadata, "--transform", $"flags=rh;s|^\\.|{memberName}|", "-C", path, "."];

    /// <summary>
    /// Version 1 archives renamed symbolic link targets with the members: a target starting with "." got the tree's
    /// name in place of that dot ("../usr/lib/os-release" became "rootfs./usr/lib/os-release"). tar undoes the rename on
    /// link targets alone while unpacking (longest prefix first, so snapshot "a" cannot take snapshot "ab"'s links).
    /// </summary>
    private static IReadOnlyList<string> RepairOptions(ArchiveManifest manifest) =>
        manifest.Version >= FirstVersionWithIntactLinks
            ? []
            : [.. manifest.Snapshots.Select(s => s.Name).Where(Containers.ContainerName.IsValid).Select(name => $"snapshots/{name}").Append("rootfs")
                .OrderByDescending(prefix => prefix.Length)
                .SelectMany(prefix => new[] { "--transform", $"flags=s;s|^{prefix}|.|" })];

    /// <summary>
    /// tar options that write the owners of a tree stored shifted (host ids of the container's root and up) as the
    /// container sees them, so the archive holds the same ids whatever the pool.
    /// </summary>
    internal static async Task<string[]> UnshiftOptionsAsync(string rootfs, long shift, string staging, CancellationToken cancellationToken, string mapPrefix = "")
    {
        // One walk for both: every file's owner and group.
        var owners = new HashSet<long>();
        var groups = new HashSet<long>();
        foreach (var line in (await CommandRunner.RunAsync("find", [rootfs, "-printf", "%U %G\\n"], cancellationToken).ConfigureAwait(false)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            owners.Add(long.Parse(line.AsSpan(0, space), CultureInfo.InvariantCulture));
            groups.Add(long.Parse(line.AsSpan(space + 1), CultureInfo.InvariantCulture));
        }

        async Task<string> MapFileAsync(HashSet<long> ids, string name)
        {
            var path = Path.Combine(staging, name);
            await File.WriteAllLinesAsync(
                path,
                ids.Where(id => id >= shift && id < shift + Containers.IdMap.ContainerRange).Order()
                    .Select(id => $"+{id.ToString(CultureInfo.InvariantCulture)} x:{(id - shift).ToString(CultureInfo.InvariantCulture)}"),
                cancellationToken).ConfigureAwait(false);
            return path;
        }

        return [$"--owner-map={await MapFileAsync(owners, mapPrefix + "owners").ConfigureAwait(false)}", $"--group-map={await MapFileAsync(groups, mapPrefix + "groups").ConfigureAwait(false)}"];
    }

    /// <summary>Reports "VERB: 42% (120 MiB)" at most every two seconds.</summary>
    internal sealed class ByteProgress(string verb, long expected, IProgress<string> progress)
    {
        private DateTime _last = DateTime.MinValue;

        public void Report(long bytes)
        {
            var now = DateTime.UtcNow;
            if (now - _last < TimeSpan.FromSeconds(2))
            {
                return;
            }

            _last = now;
            progress.Report(expected > 0
                ? $"{verb}: {Math.Min(99, bytes * 100 / expected)}% ({bytes / 1024 / 1024} MiB)"
                : $"{verb}: {bytes / 1024 / 1024} MiB");
        }
    }

    /// <summary>
    /// Where an archive is written before it is complete: inside FILE.partial/, a directory only root may enter, since
    /// an archive holds a container's every file (its /etc/shadow too) and zstd creates its output with the umask's mode.
    /// The finished file is made 0600 and renamed out of it (same filesystem), then the directory goes.
    /// </summary>
    public static string PrivatePartial(string file)
    {
        RemovePartial(file);
        var dir = file + ".partial";
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return Path.Combine(dir, Path.GetFileName(file));
    }

    /// <summary>Removes what <see cref="PrivatePartial"/> made for <paramref name="file"/> (a plain FILE.partial, as older versions wrote, too).</summary>
    public static void RemovePartial(string file)
    {
        var dir = file + ".partial";
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        else
        {
            File.Delete(dir);
        }
    }
}
