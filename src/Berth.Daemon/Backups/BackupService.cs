using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Backups;

/// <summary>What the API asks of backups: checked here (a problem, nothing changed), then handed to a job.</summary>
public sealed partial class BackupService(
    BackupStore store,
    BackupTargets targets,
    BackupRunner runner,
    ContainerStore containers,
    ContainerCopyService copies,
    LxcRuntime runtime,
    JobQueue jobs)
{
    /// <summary>The config key naming a container's default target.</summary>
    public const string TargetKey = "backups.target";

    public static bool IsBackupId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static DomainError NotFound(string id) => DomainError.NotFound(
        "Backup not found",
        $"there is no backup '{ControlCharacters.Visible(id)}'; GET /api/v1/backups lists them (ids are restic's 8-character short ids).");

    /// <param name="keep">Keep rules the job applies after the backup (scheduled runs); null forgets nothing.</param>
    public async Task<JobRecord> RunAsync(Caller caller, string container, BackupRunRequest request, CancellationToken cancellationToken, string? keep = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var record = ContainerName.IsValid(container) ? await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) : null;
        if (record is null || !caller.MayUse(record.Owner))
        {
            throw ContainerName.NotFound(container);
        }

        if (record.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(container))
        {
            throw DomainError.Conflict("Container busy", $"'{container}' is being created or deleted, or is missing; wait for its job (GET /api/v1/jobs).");
        }

        var target = await ChooseTargetAsync(request.Target ?? record.Config.GetValueOrDefault(TargetKey), cancellationToken).ConfigureAwait(false);
        var exempt = Users.QuotaDemand.IsExempt(caller);
        if (!ReferenceEquals(caller, Caller.System))
        {
            // Refused at once for a member over their backups quota; a scheduled one is refused by its job, which leaves a failure mark.
            await containers.RequireQuotaAsync(Users.QuotaDemand.ForBackup(exempt, null, container), cancellationToken).ConfigureAwait(false);
        }

        return await jobs.SubmitAsync(BackupJobKinds.Run, container, new BackupArgs { Container = container, Target = target, Owner = record.Owner, Keep = keep is { Length: > 0 } ? keep : null, QuotaExempt = exempt }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> RunSystemAsync(BackupRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = await ChooseTargetAsync(request.Target, cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(BackupJobKinds.System, BackupJobKinds.SystemTarget, new BackupArgs { Target = target }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>restic check of a target as a job in its turn (admins); a failure fails the job and raises backup-target.check-failed.</summary>
    public async Task<JobRecord> CheckAsync(string target, BackupCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await targets.RequireAsync(target, cancellationToken).ConfigureAwait(false);
        if (request.ReadDataSubset is { } subset && !IsSubset(subset))
        {
            throw DomainError.Invalid("Invalid read-data-subset", $"readDataSubset '{ControlCharacters.Visible(subset)}' is not a part of the data; write a percentage from 0.1% to 100% (like 10%) or n/m (like 1/5).");
        }

        if (request.ReadDataParts is { } parts && (parts is < 1 or > RotatingSubset.MaxParts || request.ReadDataSubset is not null))
        {
            throw DomainError.Invalid("Invalid read-data-parts", $"readDataParts {parts} is not a number of parts: give 1 to {RotatingSubset.MaxParts}, and no readDataSubset with it.");
        }

        return await jobs.SubmitAsync(BackupJobKinds.Check, BackupJobKinds.CheckTarget(record.Name), new BackupArgs { Target = record.Name, ReadDataSubset = request.ReadDataSubset, ReadDataParts = request.ReadDataParts }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A restore test of one of the container's backups, picked at random (on <see cref="BackupVerifyRequest.Target"/> when given).</summary>
    public async Task<JobRecord> VerifyAsync(Caller caller, string container, BackupVerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var record = ContainerName.IsValid(container) ? await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) : null;
        if (record is null || !caller.MayUse(record.Owner))
        {
            throw ContainerName.NotFound(container);
        }

        if (request.Target is not null)
        {
            _ = await targets.RequireAsync(request.Target, cancellationToken).ConfigureAwait(false);
        }

        var backups = (await store.ListAsync(container, false, null, cancellationToken).ConfigureAwait(false))
            .Where(b => !b.System && (request.Target is null || b.Target == request.Target)).ToList();
        if (backups.Count == 0)
        {
            throw DomainError.Conflict("No backup to verify", $"'{container}' has no backup{(request.Target is null ? "" : $" on target '{request.Target}'")} to restore for a test; back it up first.");
        }

        var backup = backups[Random.Shared.Next(backups.Count)];
        return await jobs.SubmitAsync(BackupJobKinds.Verify, container, new BackupArgs { Container = container, Target = backup.Target, Backup = backup.Id, Owner = record.Owner }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A restore test of one backup of <paramref name="target"/>, picked at random (admins).</summary>
    public async Task<JobRecord> VerifyTargetAsync(string target, CancellationToken cancellationToken)
    {
        var record = await targets.RequireAsync(target, cancellationToken).ConfigureAwait(false);
        var backups = (await store.ListAsync(null, false, null, cancellationToken).ConfigureAwait(false)).Where(b => b.Target == record.Name).ToList();
        if (backups.Count == 0)
        {
            throw DomainError.Conflict("No backup to verify", $"target '{record.Name}' holds no backup to restore for a test.");
        }

        var backup = backups[Random.Shared.Next(backups.Count)];
        return await jobs.SubmitAsync(BackupJobKinds.Verify, BackupJobKinds.CheckTarget(record.Name), new BackupArgs { Target = record.Name, Backup = backup.Id }, cancellationToken).ConfigureAwait(false);
    }

    public static bool IsSubset(string text)
    {
        var percent = SubsetPercent().Match(text);
        if (percent.Success)
        {
            var value = double.Parse(percent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return value > 0 && value <= 100;
        }

        var part = SubsetPart().Match(text);
        return part.Success && int.TryParse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && int.TryParse(part.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture, out var m) && n >= 1 && n <= m;
    }

    /// <summary>Backups newest first, of one container or all; a member sees only those they own.</summary>
    public async Task<IReadOnlyList<BackupInfo>> ListAsync(Caller caller, string? container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (container is not null && !ContainerName.IsValid(container))
        {
            throw DomainError.Invalid("Invalid container name", $"'{ControlCharacters.Visible(container)}' is not a container name.");
        }

        return [.. (await store.ListAsync(container, !caller.IsAdmin, caller.Name, cancellationToken).ConfigureAwait(false)).Select(Describe)];
    }

    public async Task<JobRecord> RestoreAsync(Caller caller, string id, BackupRestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var backup = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (backup.System || backup.Container is null)
        {
            throw DomainError.Invalid("System backup", $"backup {backup.ShortId} is of Berth's own database: restore it by hand with restic, as docs/backups.md says.");
        }

        var name = request.Container ?? backup.Container;
        if (name != backup.Container)
        {
            throw DomainError.Invalid("Backup of another container", $"backup {backup.ShortId} is of '{backup.Container}', not of '{ControlCharacters.Visible(name)}'; to restore it into a new container give as.");
        }

        if (request.Path is not null)
        {
            return await RestorePathAsync(caller, backup, request, cancellationToken).ConfigureAwait(false);
        }

        var existing = await containers.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (request.As is null && existing is not null)
        {
            if (!caller.MayUse(existing.Owner))
            {
                throw ContainerName.NotFound(name);
            }

            if (request.Network is not null || request.Ip is not null)
            {
                throw DomainError.Invalid("Network with in-place restore", "network and ip choose the interface of a new container; give them with as, or leave them out to restore in place.");
            }

            if (existing.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(name))
            {
                throw DomainError.Conflict("Container busy", $"'{name}' is being created or deleted, or is missing; wait for its job (GET /api/v1/jobs).");
            }

            if (runtime.GetStatus(name) != ContainerStatus.Stopped)
            {
                throw DomainError.Conflict("Container is running", $"'{name}' is running; stop it first to restore it in place, or restore into a new container with as.");
            }

            return await jobs.SubmitAsync(BackupJobKinds.Restore, name, new BackupArgs { Container = name, Target = backup.Target, Backup = backup.Id }, cancellationToken).ConfigureAwait(false);
        }

        // A new container: named by as, or the backed-up one that no longer exists here.
        var newName = ContainerName.Validate(request.As ?? name);
        var manifest = await ManifestAsync(backup, cancellationToken).ConfigureAwait(false);
        if (manifest.AsksForPrivilege && !caller.IsAdmin)
        {
            throw DomainError.Forbidden("Privileged backup", $"backup {backup.ShortId} is of a privileged container; only an admin can restore it.");
        }

        return await copies.RestoreBackupAsync(
            caller,
            manifest,
            $"backup {backup.ShortId}",
            newName,
            request.Network,
            request.Ip,
            new CopyArgs { Target = newName, Backup = backup.Id, BackupTarget = backup.Target },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes one of <paramref name="container"/>'s backups: a job that forgets it and prunes, in its target's turn.</summary>
    public async Task<JobRecord> DeleteAsync(Caller caller, string container, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!ContainerName.IsValid(container))
        {
            throw ContainerName.NotFound(container);
        }

        var backup = await FindAsync(caller, id, cancellationToken).ConfigureAwait(false);
        if (backup.System || backup.Container != container)
        {
            throw NotFound(id);
        }

        return await jobs.SubmitAsync(BackupJobKinds.Delete, container, new BackupArgs { Container = container, Target = backup.Target, Backup = backup.Id, Owner = backup.Owner }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobRecord> RestorePathAsync(Caller caller, BackupRecord backup, BackupRestoreRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path!;
        if (!path.StartsWith('/') || path.Length is < 2 or > 4096 || ControlCharacters.Any(path) || path.Split('/').Any(p => p is ".." or "."))
        {
            throw DomainError.Invalid("Invalid path", $"'{ControlCharacters.Visible(path)}' is not an absolute path inside the container (like /etc/nginx), without '.' or '..' parts.");
        }

        if (request.To is null)
        {
            var container = await containers.GetAsync(backup.Container!, cancellationToken).ConfigureAwait(false);
            if (container is null || !caller.MayUse(container.Owner))
            {
                throw ContainerName.NotFound(backup.Container!);
            }

            if (container.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(container.Name))
            {
                throw DomainError.Conflict("Container busy", $"'{container.Name}' is being created or deleted, or is missing; wait for its job (GET /api/v1/jobs).");
            }

            return await jobs.SubmitAsync(BackupJobKinds.Restore, container.Name, new BackupArgs
            {
                Container = container.Name,
                Target = backup.Target,
                Backup = backup.Id,
                Path = path.TrimEnd('/'),
            }, cancellationToken).ConfigureAwait(false);
        }

        if (!caller.IsAdmin)
        {
            throw DomainError.Forbidden("Admins only", "restoring into a host directory (to) is for admins; restore the whole container into a new one with as instead.");
        }

        if (ControlCharacters.Any(request.To) || !Path.IsPathFullyQualified(request.To) || !Directory.Exists(request.To))
        {
            throw DomainError.Invalid("Invalid to", $"'{ControlCharacters.Visible(request.To)}' is not an existing absolute directory on the daemon's host.");
        }

        return await jobs.SubmitAsync(BackupJobKinds.Restore, backup.Container!, new BackupArgs
        {
            Container = backup.Container,
            Target = backup.Target,
            Backup = backup.Id,
            Path = path.TrimEnd('/'),
            To = Path.GetFullPath(request.To),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The backup <paramref name="id"/> names, if the caller may use it; an admin's miss looks in the targets' repositories once.</summary>
    private async Task<BackupRecord> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (!IsBackupId(id))
        {
            throw NotFound(id);
        }

        var found = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0 && caller.IsAdmin)
        {
            foreach (var target in await targets.ListRecordsAsync(cancellationToken).ConfigureAwait(false))
            {
                await targets.SyncAsync(target, cancellationToken).ConfigureAwait(false);
            }

            found = await store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (found.Count > 1)
        {
            throw DomainError.Conflict("Ambiguous backup id", $"'{id}' starts the ids of {found.Count} backups (in {string.Join(", ", found.Select(b => b.Target))}); give more of the id.");
        }

        return found is [var backup] && caller.MayUse(backup.Owner) ? backup : throw NotFound(id);
    }

    private async Task<ArchiveManifest> ManifestAsync(BackupRecord backup, CancellationToken cancellationToken)
    {
        var target = await targets.RequireAsync(backup.Target, cancellationToken).ConfigureAwait(false);
        var restic = targets.Open(target);
        string json;
        using (await runner.TakeTurnAsync(target.Name, cancellationToken).ConfigureAwait(false))
        {
            json = await runner.WithUnlockAsync(restic, target.Name, () => restic.DumpAsync(backup.Id, "/berth.json", cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        ArchiveManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ArchiveManifest>(json, BerthJson.Options);
        }
        catch (JsonException)
        {
            manifest = null;
        }

        if (manifest is null || manifest.Format != ArchiveManifest.Kind || manifest.Problems() is { Count: > 0 })
        {
            throw DomainError.Invalid("Invalid backup manifest", $"backup {backup.ShortId} has no valid berth.json ({string.Join("; ", manifest?.Problems() ?? ["not JSON of that shape"])}); nothing was restored.");
        }

        return manifest;
    }

    private async Task<string> ChooseTargetAsync(string? name, CancellationToken cancellationToken)
    {
        if (name is not null)
        {
            return (await targets.RequireAsync(name, cancellationToken).ConfigureAwait(false)).Name;
        }

        var all = await targets.ListRecordsAsync(cancellationToken).ConfigureAwait(false);
        return all switch
        {
            [var only] => only.Name,
            [] => throw DomainError.Conflict("No backup target", "there is no backup target yet; an admin adds one with POST /api/v1/backup-targets."),
            _ => throw DomainError.Invalid("Target needed", $"there are {all.Count} backup targets ({string.Join(", ", all.Select(t => t.Name))}); give target, or set {TargetKey} on the container."),
        };
    }

    private static BackupInfo Describe(BackupRecord b) => new()
    {
        Id = b.ShortId,
        Container = b.Container,
        Owner = b.Owner,
        Target = b.Target,
        Time = b.CreatedAt,
        SizeBytes = b.SizeBytes,
        Files = b.Files,
        System = b.System,
    };

    [GeneratedRegex("^[0-9a-f]{8,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^([0-9]{1,3}(\.[0-9]{1,3})?)%$")]
    private static partial Regex SubsetPercent();

    [GeneratedRegex("^([0-9]{1,6})/([0-9]{1,6})$")]
    private static partial Regex SubsetPart();
}
