using System.Security.Cryptography;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Backups;

/// <summary>
/// Backup targets: restic repositories checked when added (created, or opened with a recovery password), with their
/// password and credentials sealed under the host key. Only admins reach these (the endpoints say so).
/// </summary>
public sealed partial class BackupTargets(BackupStore store, BackupMarks marks, HostSecretKey key, BackupHostId host, StatePaths paths, TimeProvider time, ILogger<BackupTargets> logger)
{
    public async Task<IReadOnlyList<BackupTargetInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var checks = await marks.AllAsync(BackupMarks.TargetKind, cancellationToken).ConfigureAwait(false);
        var counts = await store.ChecksRunAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await store.ListTargetsAsync(cancellationToken).ConfigureAwait(false)).Select(r => Describe(r) with
        {
            LastCheck = checks.GetValueOrDefault(r.Name),
            ChecksRun = counts.GetValueOrDefault(r.Name),
        })];
    }

    public Task<IReadOnlyList<BackupTargetRecord>> ListRecordsAsync(CancellationToken cancellationToken) => store.ListTargetsAsync(cancellationToken);

    public async Task<BackupTargetInfo> GetAsync(string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        return Describe(record) with
        {
            LastCheck = await marks.OfAsync(BackupMarks.TargetKind, name, cancellationToken).ConfigureAwait(false),
            ChecksRun = (await store.ChecksRunAsync(cancellationToken).ConfigureAwait(false)).GetValueOrDefault(name),
        };
    }

    public async Task<BackupTargetRecord> RequireAsync(string? name, CancellationToken cancellationToken) =>
        (name is null ? null : await store.FindTargetAsync(name, cancellationToken).ConfigureAwait(false))
        ?? throw DomainError.NotFound("Backup target not found", $"there is no backup target '{ControlCharacters.Visible(name)}'; GET /api/v1/backup-targets lists them.");

    public async Task<BackupTargetInfo> AddAsync(BackupTargetCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ContainerName.IsValid(request.Name))
        {
            throw DomainError.Invalid("Invalid backup target name", $"'{ControlCharacters.Visible(request.Name)}' is not a valid target name: use 1-63 lowercase letters, digits and hyphens, starting with a letter.");
        }

        var (repository, _) = BackupTargetUrl.Parse(request.Url);
        var env = BackupTargetEnv.Validate(request.Env);
        BackupTargetOptions.Validate(request, BackupTargetUrl.Parse(request.Url).Kind);
        if (request.Password is { } given && (given.Length is 0 or > 1024 || ControlCharacters.Any(given)))
        {
            throw DomainError.Invalid("Invalid password", "password is the recovery password 'berth backup target key' printed on the host that created the repository: 1-1024 characters, no control characters.");
        }

        if (await store.FindTargetAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw DomainError.Conflict("Backup target exists", $"a backup target named '{request.Name}' already exists; remove it first or choose another name.");
        }

        var secrets = new BackupTargetSecrets
        {
            Password = request.Password ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Env = env,
            SshKey = request.SshKey,
            SshPort = request.SshPort,
            CaCert = request.CaCert,
        };
        var restic = Repository(request.Name, repository, secrets);
        try
        {
            if (request.Password is null)
            {
                if (await restic.ExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw DomainError.Conflict("Repository exists", $"{request.Url} already holds a restic repository; add it with its recovery password in the password field to use the backups in it.");
                }

                await restic.InitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await restic.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // A refused target leaves no key or certificate file behind.
            if (Directory.Exists(OptionsDir(request.Name)))
            {
                Directory.Delete(OptionsDir(request.Name), recursive: true);
            }

            throw;
        }

        var record = new BackupTargetRecord(request.Name, repository, [.. env.Keys], key.Seal(JsonSerializer.Serialize(secrets, BerthJson.Options), request.Name), time.GetUtcNow());
        if (!await store.TryInsertTargetAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Backup target exists", $"a backup target named '{request.Name}' already exists; remove it first or choose another name.");
        }

        Log.TargetAdded(logger, request.Name, record.Url, request.Password is null);
        if (request.Password is not null)
        {
            await SyncAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return Describe(record);
    }

    /// <summary>Forgets the target and its backups' rows; the repository and the backups in it stay where they are.</summary>
    public async Task<BackupTargetInfo> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        await store.DeleteTargetAsync(name, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(OptionsDir(name)))
        {
            Directory.Delete(OptionsDir(name), recursive: true);
        }
        Log.TargetRemoved(logger, name);
        return Describe(record);
    }

    public async Task<BackupTargetKey> KeyAsync(string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        Log.KeyShown(logger, name);
        return new BackupTargetKey { Target = record.Name, Url = record.Url, Password = SecretsOf(record).Password };
    }

    /// <summary>
    /// Records the Berth snapshots a repository holds that this host has no row for (written by another host, or before
    /// this one lost its database): so they can be listed and restored here. Their owner is not carried over: a member of
    /// the same name on this host need not be the same person.
    /// </summary>
    public async Task SyncAsync(BackupTargetRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var restic = Open(record);
        foreach (var tag in new[] { BackupTags.Container, BackupTags.System })
        {
            foreach (var snapshot in await restic.SnapshotsAsync(tag, cancellationToken).ConfigureAwait(false))
            {
                var container = snapshot.Tag("container");
                await store.InsertFoundAsync(new BackupRecord
                {
                    Target = record.Name,
                    Id = snapshot.Id,
                    Container = tag == BackupTags.Container && ContainerName.IsValid(container) ? container : null,
                    Owner = snapshot.Host == host.Value ? snapshot.Tag("owner") : null,
                    System = tag == BackupTags.System,
                    CreatedAt = snapshot.Time,
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ResticRepository Open(BackupTargetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Repository(record.Name, record.Url, SecretsOf(record));
    }

    /// <summary>The host name Berth's snapshots carry.</summary>
    public string HostId => host.Value;

    private BackupTargetSecrets SecretsOf(BackupTargetRecord record) =>
        JsonSerializer.Deserialize<BackupTargetSecrets>(key.Open(record.Sealed, record.Name), BerthJson.Options)!;

    private ResticRepository Repository(string name, string repository, BackupTargetSecrets secrets)
    {
        var cache = Path.Combine(paths.Root, "backups", "cache");
        Directory.CreateDirectory(cache, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = BackupTargetOptions.Write(repository, secrets, OptionsDir(name));
        return new ResticRepository(name, repository.StartsWith("local:", StringComparison.Ordinal) ? repository["local:".Length..] : repository, secrets, cache, options);
    }

    /// <summary>Where a target's ssh key, known hosts and CA certificate are written (only root reads it).</summary>
    private string OptionsDir(string name) => Path.Combine(paths.Root, "backups", "targets", name);

    /// <summary>What a target is, with whether its ssh key and CA certificate are set and the names of its env keys: never a secret's value.</summary>
    private BackupTargetInfo Describe(BackupTargetRecord record)
    {
        var secrets = SecretsOf(record);
        return new()
        {
            Name = record.Name,
            Url = record.Url,
            Kind = BackupTargetUrl.Parse(record.Url).Kind,
            EnvKeys = record.EnvKeys,
            SshKeySet = !string.IsNullOrEmpty(secrets.SshKey),
            SshPort = secrets.SshPort,
            CaCertSet = !string.IsNullOrEmpty(secrets.CaCert),
            CreatedAt = record.CreatedAt,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Backup target {Name} added at {Url} (new repository: {Created})")]
        public static partial void TargetAdded(ILogger logger, string name, string url, bool created);

        [LoggerMessage(Level = LogLevel.Information, Message = "Backup target {Name} removed; its repository is left as it is")]
        public static partial void TargetRemoved(ILogger logger, string name);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The recovery password of backup target {Name} was shown")]
        public static partial void KeyShown(ILogger logger, string name);
    }
}
