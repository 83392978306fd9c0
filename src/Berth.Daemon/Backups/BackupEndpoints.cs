using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;

namespace Berth.Daemon.Backups;

/// <summary>/api/v1/backup-targets, /api/v1/backups and /api/v1/containers/{name}/backups.</summary>
public static class BackupEndpoints
{
    public static IEndpointRouteBuilder MapBerthBackups(this IEndpointRouteBuilder api)
    {
        var targets = api.MapGroup("/backup-targets").WithTags("Backups");
        targets.MapGet("", (BackupTargets s, CancellationToken ct) => s.ListAsync(ct)).AdminReads();
        targets.MapPost("", async (BackupTargetCreateRequest request, BackupTargets s, CancellationToken ct) =>
        {
            var created = await s.AddAsync(request, ct).ConfigureAwait(false);
            return Results.Created($"/api/v1/backup-targets/{created.Name}", created);
        }).AdminChanges();
        targets.MapGet("/{target}", (string target, BackupTargets s, CancellationToken ct) => s.GetAsync(target, ct)).AdminReads();
        targets.MapDelete("/{target}", (string target, BackupTargets s, CancellationToken ct) => s.RemoveAsync(target, ct)).AdminChanges();
        // A POST, so showing the password is a change the audit records.
        targets.MapPost("/{target}/check", async (string target, BackupCheckRequest request, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.CheckAsync(target, request, ct).ConfigureAwait(false))).AdminChanges();
        targets.MapPost("/{target}/verify", async (string target, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.VerifyTargetAsync(target, ct).ConfigureAwait(false))).AdminChanges();
        targets.MapPost("/{target}/key", (string target, BackupTargets s, CancellationToken ct) => s.KeyAsync(target, ct)).AdminChanges();

        var backups = api.MapGroup("/backups").WithTags("Backups");
        backups.MapGet("", (string? container, Caller caller, BackupService s, CancellationToken ct) => s.ListAsync(caller, container, ct)).Reads();
        backups.MapPost("/system", async (BackupRunRequest request, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RunSystemAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        backups.MapPost("/{backup}/restore", async (string backup, BackupRestoreRequest request, Caller caller, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RestoreAsync(caller, backup, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Backup, "backup");

        var container = api.MapGroup("/containers/{name}/backups").WithTags("Backups");
        container.MapGet("", (string name, Caller caller, BackupService s, CancellationToken ct) => s.ListAsync(caller, name, ct)).Reads(ObjectKind.Container);
        container.MapPost("", async (string name, BackupRunRequest request, Caller caller, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RunAsync(caller, name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        // Named by the backup, so a member deletes the backups of her containers also after deleting the container.
        container.MapDelete("/{backup}", async (string name, string backup, Caller caller, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DeleteAsync(caller, name, backup, ct).ConfigureAwait(false))).Changes(ObjectKind.Backup, "backup");
        container.MapPost("/verify", async (string name, BackupVerifyRequest request, Caller caller, BackupService s, CancellationToken ct) =>
            JobResults.Accepted(await s.VerifyAsync(caller, name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        return api;
    }
}
