using System.Globalization;
using System.Text.Json;
using Berth.Daemon.Errors;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Backups;

/// <summary>
/// One target's restic repository: every restic run with its repository, password and credentials in the child's
/// environment (never on its command line, which other users can read), and restic's failures as domain errors.
/// </summary>
public sealed class ResticRepository(string name, string repository, BackupTargetSecrets secrets, string cacheDir, IReadOnlyList<string>? options = null)
{
    /// <summary>Global options before the command: -o sftp.command=..., --cacert FILE.</summary>
    private readonly IReadOnlyList<string> _options = options ?? [];

    public string Name { get; } = name;

    public async Task InitAsync(CancellationToken cancellationToken) =>
        await RunAsync(["init"], cancellationToken).ConfigureAwait(false);

    /// <summary>Whether a repository exists there, without knowing its password (its config file is readable).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(["cat", "config", "--no-lock"], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 || result.Stderr.Contains("wrong password", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Opens the repository with its password: a problem when it is not there or the password is wrong.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken) =>
        await RunAsync(["cat", "config", "--no-lock"], cancellationToken).ConfigureAwait(false);

    /// <summary>Backs up <paramref name="paths"/> (relative to <paramref name="directory"/>, so the snapshot holds them at its root).</summary>
    public async Task<ResticSummary> BackupAsync(string directory, IReadOnlyList<string> paths, string host, IReadOnlyList<string> tags, Action<string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        // env --chdir: restic 0.14 stores a relative path's own name at the snapshot's root, and has no option to change directory.
        List<string> args = ["--chdir=" + directory, "restic", .. _options, "backup", "--json", "--host", host, "--ignore-inode"];
        foreach (var tag in tags)
        {
            args.AddRange(["--tag", tag]);
        }

        args.Add("--");
        args.AddRange(paths);
        ResticSummary? summary = null;
        await RunAsync(args, cancellationToken, line =>
        {
            if (line.StartsWith('{') && line.Contains("\"summary\"", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                summary = new ResticSummary(
                    root.GetProperty("snapshot_id").GetString()!,
                    root.GetProperty("total_files_processed").GetInt64(),
                    root.GetProperty("total_bytes_processed").GetInt64(),
                    root.GetProperty("data_added").GetInt64());
            }
            else
            {
                onLine(line);
            }
        }, program: "env").ConfigureAwait(false);
        return summary ?? throw DomainError.Upstream("Backup incomplete", $"restic finished without naming the snapshot it wrote to target '{Name}'.");
    }

    /// <summary>Restores snapshot <paramref name="id"/> into <paramref name="target"/>, only <paramref name="includes"/> when given.</summary>
    public async Task RestoreAsync(string id, string target, IReadOnlyList<string> includes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(includes);
        List<string> args = ["restore", id, "--target", target];
        foreach (var include in includes)
        {
            args.AddRange(["--include", include]);
        }

        await RunAsync(args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every entry of snapshot <paramref name="id"/> as restic lists it (ls --json), with each link's target from the long
    /// listing (restic 0.14's JSON has none): what a restore test compares the restored tree with.
    /// </summary>
    public async Task<IReadOnlyList<ResticNode>> ListAsync(string id, CancellationToken cancellationToken)
    {
        var json = (await RunAsync(["ls", "--json", "--no-lock", id], cancellationToken).ConfigureAwait(false)).Stdout;
        List<(string Path, string Type, long Size, uint Mode, long Uid, long Gid)> entries = [];
        foreach (var line in json.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var node = document.RootElement;
            if (!node.TryGetProperty("struct_type", out var kind) || kind.GetString() != "node")
            {
                continue;
            }

            entries.Add((
                node.GetProperty("path").GetString()!,
                node.GetProperty("type").GetString()!,
                node.TryGetProperty("size", out var size) ? size.GetInt64() : 0,
                node.TryGetProperty("mode", out var mode) ? mode.GetUInt32() : 0,
                node.TryGetProperty("uid", out var uid) ? uid.GetInt64() : 0,
                node.TryGetProperty("gid", out var gid) ? gid.GetInt64() : 0));
        }

        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entries.Any(e => e.Type == "symlink"))
        {
            // "Lrwxrwxrwx  UID  GID  SIZE DATE TIME PATH -> TARGET": the path is known, so a " -> " in it is no trouble.
            var symlinks = entries.Where(e => e.Type == "symlink").Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
            var listing = (await RunAsync(["ls", "--long", "--no-lock", id], cancellationToken).ConfigureAwait(false)).Stdout;
            foreach (var line in listing.Split('\n'))
            {
                if (!line.StartsWith('L'))
                {
                    continue;
                }

                var rest = line;
                for (var field = 0; field < 6 && rest.Length > 0; field++)
                {
                    rest = rest.TrimStart();
                    var space = rest.IndexOf(' ', StringComparison.Ordinal);
                    rest = space < 0 ? "" : rest[(space + 1)..];
                }

                var arrow = rest.IndexOf(" -> ", StringComparison.Ordinal);
                while (arrow >= 0 && !symlinks.Contains(rest[..arrow]))
                {
                    arrow = rest.IndexOf(" -> ", arrow + 1, StringComparison.Ordinal);
                }

                if (arrow >= 0)
                {
                    links[rest[..arrow]] = rest[(arrow + 4)..];
                }
            }
        }

        return [.. entries.Select(e => new ResticNode(e.Path, e.Type, e.Size, e.Mode, e.Uid, e.Gid, links.GetValueOrDefault(e.Path)))];
    }

    /// <summary>The content of one file of snapshot <paramref name="id"/> (berth.json).</summary>
    public async Task<string> DumpAsync(string id, string path, CancellationToken cancellationToken) =>
        (await RunAsync(["dump", "--no-lock", id, path], cancellationToken).ConfigureAwait(false)).Stdout;

    public async Task<IReadOnlyList<ResticSnapshot>> SnapshotsAsync(string tag, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["snapshots", "--json", "--no-lock", "--tag", tag], cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(result.Stdout.Length == 0 ? "[]" : result.Stdout);
        return [.. document.RootElement.EnumerateArray().Select(s => new ResticSnapshot(
            s.GetProperty("id").GetString()!,
            DateTimeOffset.Parse(s.GetProperty("time").GetString()!, CultureInfo.InvariantCulture),
            s.TryGetProperty("hostname", out var host) ? host.GetString() ?? "" : "",
            s.TryGetProperty("tags", out var tags) ? [.. tags.EnumerateArray().Select(t => t.GetString() ?? "")] : []))];
    }

    /// <summary>Runs <c>restic forget -- ID...</c> as <see cref="Policy.ResticForgetArgs"/> made it; nothing when it is empty.</summary>
    public async Task ForgetAsync(IReadOnlyList<string> forgetArgs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forgetArgs);
        if (forgetArgs.Count > 0)
        {
            await RunAsync(forgetArgs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>restic check, reading back <paramref name="readDataSubset"/> of the data when given.</summary>
    public async Task CheckAsync(string? readDataSubset, CancellationToken cancellationToken) =>
        await RunAsync(readDataSubset is null ? ["check"] : ["check", "--read-data-subset", readDataSubset], cancellationToken).ConfigureAwait(false);

    /// <summary>Frees the space of forgotten snapshots.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken) =>
        await RunAsync(["prune"], cancellationToken).ConfigureAwait(false);

    /// <summary>Removes locks whose restic is gone (restic unlock keeps those of live processes); callers hold the target's turn.</summary>
    public async Task UnlockAsync(CancellationToken cancellationToken) =>
        await RunAsync(["unlock"], cancellationToken).ConfigureAwait(false);

    /// <summary>Removes every lock, live or not: only for when each one is known to be a dead restic's of this host.</summary>
    public async Task RemoveAllLocksAsync(CancellationToken cancellationToken) =>
        await RunAsync(["unlock", "--remove-all"], cancellationToken).ConfigureAwait(false);

    /// <summary>The repository's locks (listed without taking one); a lock removed between listing and reading is left out.</summary>
    public async Task<IReadOnlyList<ResticLock>> LocksAsync(CancellationToken cancellationToken)
    {
        // A local repository whose locks/ is empty has no lock: known without a restic run, which costs a key derivation
        // (a second or more on a busy host) before every backup. A missing locks/ still goes to restic, which says why.
        if (repository.StartsWith('/') && Path.Combine(repository, "locks") is var lockDir && Directory.Exists(lockDir) && !Directory.EnumerateFileSystemEntries(lockDir).Any())
        {
            return [];
        }

        var ids = (await RunAsync(["list", "locks", "--no-lock"], cancellationToken).ConfigureAwait(false)).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<ResticLock> locks = [];
        foreach (var id in ids)
        {
            var result = await TryRunAsync(["cat", "lock", "--no-lock", id], cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(result.Stdout);
            var root = document.RootElement;
            locks.Add(new ResticLock(
                id,
                root.TryGetProperty("time", out var t) ? DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue,
                root.TryGetProperty("exclusive", out var x) && x.GetBoolean(),
                root.TryGetProperty("hostname", out var h) ? h.GetString() ?? "" : "",
                root.TryGetProperty("pid", out var p) ? p.GetInt32() : 0));
        }

        return locks;
    }

    /// <summary>Whether a failure came from a lock in the repository (a restic killed mid-run leaves one behind).</summary>
    public static bool IsLockFailure(Exception exception) =>
        exception is DomainError { Message: var message } && message.Contains("locked", StringComparison.OrdinalIgnoreCase);

    private async Task<CommandResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, Action<string>? onLine = null, string program = "restic")
    {
        var result = await TryRunAsync(args, cancellationToken, onLine, program).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw Failure(result);
    }

    private Task<CommandResult> TryRunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, Action<string>? onLine = null, string program = "restic")
    {
        var environment = new Dictionary<string, string>(secrets.Env, StringComparer.Ordinal)
        {
            ["RESTIC_REPOSITORY"] = repository,
            ["RESTIC_PASSWORD"] = secrets.Password,
            ["RESTIC_CACHE_DIR"] = cacheDir,
            // A status line every two seconds: restic writes one a minute when its output is no terminal.
            ["RESTIC_PROGRESS_FPS"] = "0.5",
        };
        return CommandRunner.TryRunAsync(program, program == "restic" ? [.. _options, .. args] : args, cancellationToken, onLine, environment);
    }

    private DomainError Failure(CommandResult result)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('{')).TakeLast(3).ToList();
        var said = lines.Count == 0 ? $"exit {result.ExitCode}" : string.Join(" | ", lines);
        if (said.Contains("wrong password", StringComparison.OrdinalIgnoreCase))
        {
            return DomainError.Upstream("Wrong repository password", $"the repository of backup target '{Name}' does not open with the password Berth has for it (restic: {said}).");
        }

        if (result.ExitCode is < 0 or > 128)
        {
            return DomainError.Upstream("restic was killed", $"restic was stopped by a signal while working on target '{Name}' (exit {result.ExitCode}); the backups already in it are intact, run it again.");
        }

        return DomainError.Upstream("Backup target failed", $"restic failed on target '{Name}': {said}.");
    }
}
