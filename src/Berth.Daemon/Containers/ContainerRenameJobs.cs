using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>
/// Renames a stopped container: its files move by rename (LXC directory, root filesystem and snapshots in its pool),
/// then every row naming it changes in one transaction, then its LXC configuration, host name and DNS name follow.
/// A failure moves everything back.
/// </summary>
public sealed class ContainerRenameJobs(
    ContainerStore containers,
    StoragePools pools,
    LxcRuntime runtime,
    StatePaths paths,
    LxcConfigRenderer renderer,
    ContainerIdentity identity,
    NameServer names,
    Firewall firewall,
    EventBroker events,
    ILogger<ContainerRenameJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [JobKinds.Rename];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (name, newName) = context.Args<RenameArgs>();
        var ct = context.CancellationToken;
        await using var reverter = new Reverter(logger);
        reverter.Add("give the container back", () => containers.SetStatusAsync(name, ContainerRecordStatus.Ready, null));
        if (runtime.GetStatus(name) != ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container running", $"'{name}' was started before it could be renamed; stop it and rename it again.");
        }

        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        runtime.Forget(name);
        await driver.RenameAsync(pool, name, newName, ct).ConfigureAwait(false);
        reverter.Add("move the root filesystem back", () => driver.RenameAsync(pool, newName, name, CancellationToken.None));

        // In the default pool the driver moved the LXC directory along with the root filesystem inside it.
        var (lxcDir, newLxcDir) = (paths.ContainerDir(name), paths.ContainerDir(newName));
        if (Directory.Exists(lxcDir))
        {
            Directory.Move(lxcDir, newLxcDir);
            reverter.Add("move the LXC directory back", () => Directory.Move(newLxcDir, lxcDir));
        }

        if (!await containers.TryRenameAsync(name, newName, ct).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Name taken", $"a container named '{newName}' was created meanwhile; choose another name.");
        }

        pools.Renamed(name, newName);
        reverter.Add("rename the rows back", async () =>
        {
            await containers.TryRenameAsync(newName, name).ConfigureAwait(false);
            pools.Renamed(newName, name);
        });

        var record = await containers.GetAsync(newName, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"the store lost '{newName}'");
        context.Report($"renaming {name} to {newName}");
        renderer.Write(record);
        await identity.WriteAsync(record, ct).ConfigureAwait(false);
        foreach (var nic in record.Nics)
        {
            // Its DNS name changes, and on an isolated network so does its port's name in the firewall.
            await names.UpdateAsync(nic.Network, ct).ConfigureAwait(false);
        }

        if (record.Nics.Count > 0)
        {
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
        }

        await containers.SetStatusAsync(newName, ContainerRecordStatus.Ready, null, ct).ConfigureAwait(false);
        reverter.Success();
        events.Lifecycle("container.renamed", newName, context.Job.Id, $"renamed from {name}");
    }

    /// <summary>After a crash: finished when the rows had been renamed, otherwise the files are moved back.</summary>
    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<RenameArgs>(job.Args, BerthJson.Options)!;
        if (await containers.GetAsync(args.NewName, cancellationToken).ConfigureAwait(false) is { } renamed)
        {
            renderer.Write(renamed);
            await identity.WriteAsync(renamed, cancellationToken).ConfigureAwait(false);
            await containers.SetStatusAsync(args.NewName, ContainerRecordStatus.Ready, null, cancellationToken).ConfigureAwait(false);
            return new JobRecovery(true, $"'{args.Name}' had been renamed to '{args.NewName}'; its configuration is now written");
        }

        var pool = await pools.PoolOfAsync(args.Name, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(paths.ContainerDir(args.NewName)) && !Directory.Exists(paths.ContainerDir(args.Name)))
        {
            Directory.Move(paths.ContainerDir(args.NewName), paths.ContainerDir(args.Name));
        }

        if (!Directory.Exists(pools.DriverOf(pool).RootfsPath(pool, args.Name)))
        {
            await pools.DriverOf(pool).RenameAsync(pool, args.NewName, args.Name, cancellationToken).ConfigureAwait(false);
        }

        await containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null, cancellationToken).ConfigureAwait(false);
        return new JobRecovery(false, $"the rename of '{args.Name}' was undone; rename it again");
    }
}
