using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Processes;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Runs the container jobs: launch, start, stop, restart, freeze, unfreeze, delete and config changes.</summary>
public sealed class ContainerJobs(
    ContainerStore containers,
    LxcRuntime runtime,
    ImageStore images,
    LxcConfigRenderer renderer,
    StatePaths paths,
    HostCgroups cgroups,
    EventBroker events,
    IOptions<BerthOptions> options,
    ForwardStore forwards,
    Firewall firewall,
    NameServer names,
    StoragePools pools,
    ImageRegistry registry,
    ContainerIdentity identity,
    ILogger<ContainerJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } =
        [JobKinds.Launch, JobKinds.Start, JobKinds.Stop, JobKinds.Restart, JobKinds.Freeze, JobKinds.Unfreeze, JobKinds.Delete, JobKinds.Config];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Job.Kind switch
        {
            JobKinds.Launch => LaunchAsync(context),
            JobKinds.Delete => DeleteAsync(context),
            JobKinds.Config => ConfigureAsync(context),
            _ => ChangeStateAsync(context),
        };
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var record = await containers.GetAsync(job.Target, cancellationToken).ConfigureAwait(false);
        switch (job.Kind)
        {
            case JobKinds.Launch when record is { Status: ContainerRecordStatus.Ready }:
                return new JobRecovery(true, $"container '{job.Target}' had been fully created before the restart");
            case JobKinds.Launch:
                await RemoveLeftoversAsync(job.Target, cancellationToken).ConfigureAwait(false);
                if (record?.JobId == job.Id)
                {
                    await containers.DeleteAsync(job.Target, cancellationToken).ConfigureAwait(false);
                }

                return new JobRecovery(false, $"the half-made container '{job.Target}' was removed; launch it again");
            case JobKinds.Delete when record is not null:
                await RemoveLeftoversAsync(job.Target, cancellationToken).ConfigureAwait(false);
                await containers.DeleteAsync(job.Target, cancellationToken).ConfigureAwait(false);
                events.Lifecycle("container.deleted", job.Target, job.Id);
                return new JobRecovery(true, $"the delete of '{job.Target}' was finished");
            case JobKinds.Delete:
                return new JobRecovery(true, $"'{job.Target}' had been deleted before the restart");
            case JobKinds.Config when record is not null:
                // The store holds the old or the new configuration; make the LXC file and the live limits agree with it.
                renderer.Write(record);
                if (runtime.GetStatus(record.Name) is ContainerStatus.Running or ContainerStatus.Frozen)
                {
                    runtime.ApplyCgroup(record.Name, CgroupLimits.Settings(record.Config, cgroups, includeResets: true));
                }

                var wanted = System.Text.Json.JsonSerializer.Deserialize<ConfigArgs>(job.Args, BerthJson.Options)?.Config;
                return wanted is not null && wanted.Count == record.Config.Count && wanted.All(p => record.Config.TryGetValue(p.Key, out var v) && v == p.Value)
                    ? new JobRecovery(true, "the new configuration had been saved; it is now applied")
                    : new JobRecovery(false, "the previous configuration is still in effect; set the keys again");
            default:
                return new JobRecovery(false, $"the container is {runtime.GetStatus(job.Target).ToString().ToLowerInvariant()}; run the action again if needed");
        }
    }

    private async Task LaunchAsync(JobContext context)
    {
        var args = context.Args<LaunchArgs>();
        var ct = context.CancellationToken;
        var image = registry.Require(args.Image);
        var record = await containers.GetAsync(args.Name, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the store has no row for '{args.Name}'");

        await using var reverter = new Reverter(logger);
        foreach (var leased in record.Nics)
        {
            // Runs last: the network's names are rendered from the leases, which go with the row.
            reverter.Add("drop the name from the network's DNS", () => names.UpdateAsync(leased.Network, CancellationToken.None));
        }

        reverter.Add("remove the store row and its address lease", () => containers.DeleteAsync(args.Name));

        await images.EnsureAsync(image, context, ct).ConfigureAwait(false);

        context.Report($"creating {args.Name} from {image.Alias}");
        var dir = paths.ContainerDir(args.Name);
        if (Directory.Exists(dir))
        {
            throw DomainError.Conflict("Container directory exists", $"{dir} already exists in Berth's lxcpath but is not a Berth container; remove it or choose another name");
        }

        StorageLayout.EnsurePrivate(dir);
        reverter.Add("remove the container directory", () => ImageStore.RemoveTreeAsync(dir));
        var pool = await pools.RequireAsync(args.Storage ?? StoragePool.DefaultName, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await pools.PlaceAsync(args.Name, pool.Name, ct).ConfigureAwait(false);
        reverter.Add("forget the placement", () => pools.ForgetAsync(args.Name, CancellationToken.None));
        reverter.Add("remove the root filesystem", () => driver.DeleteAsync(pool, args.Name, CancellationToken.None));
        await OutOfSpace.GuardAsync(pool, $"creating '{args.Name}' from {image.Alias}", async () =>
        {
            await driver.CreateFromImageAsync(pool, images.RootfsPath(image), image.Fingerprint, args.Name, record.Privileged, ct).ConfigureAwait(false);
            if (record.Config.TryGetValue(ContainerConfig.LimitsDisk, out var disk) && ByteSize.TryParse(disk, out var quota))
            {
                await driver.SetQuotaAsync(pool, args.Name, quota, ct).ConfigureAwait(false);
            }

            await identity.WriteAsync(record, ct).ConfigureAwait(false);
            await identity.RenewAsync(args.Name, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        renderer.Write(record);
        if (!args.Start)
        {
            // Its name is answered from now on, as for any stopped container; a start does this in its hook.
            await EnsureNamesAsync(record, ct).ConfigureAwait(false);
        }

        if (record.Nics.Any(n => n.Network.Isolated) || (record.Owner is not null && record.Nics.Count > 0))
        {
            // Its port joins the isolated set before it can send anything.
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
        }

        if (args.Start)
        {
            context.Report($"starting {args.Name}");
            reverter.Add("stop the container", () => runtime.StopAsync(args.Name, force: true, 0, CancellationToken.None));
            await runtime.StartAsync(args.Name, ct).ConfigureAwait(false);
        }

        await containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null, ct).ConfigureAwait(false);
        reverter.Success();
        events.Lifecycle("container.created", args.Name, context.Job.Id);
        if (args.Start)
        {
            events.Lifecycle("container.started", args.Name, context.Job.Id);
        }
    }

    /// <summary>
    /// The container's DNS is its network's gateway, where the network's dnsmasq (bound to the bridge's address, so the
    /// bridge first) answers container names. Starts get this from <see cref="NetworkStartHook"/>, once per start.
    /// </summary>
    private async Task EnsureNamesAsync(ContainerRecord record, CancellationToken ct)
    {
        foreach (var nic in record.Nics)
        {
            await Bridges.EnsureAsync(nic.Network, ct).ConfigureAwait(false);
            await names.UpdateAsync(nic.Network, ct).ConfigureAwait(false);
        }
    }

    private async Task ChangeStateAsync(JobContext context)
    {
        var args = context.Args<StateArgs>();
        var ct = context.CancellationToken;
        var record = await containers.GetAsync(args.Name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(args.Name);
        var status = runtime.GetStatus(record.Name);
        var timeout = args.Timeout ?? options.Value.StopTimeoutSeconds;
        switch (context.Job.Kind)
        {
            case JobKinds.Start:
                ContainerStates.RequireStartable(record.Name, status);
                await runtime.StartAsync(record.Name, ct).ConfigureAwait(false);
                events.Lifecycle("container.started", record.Name, context.Job.Id);
                break;
            case JobKinds.Stop:
                ContainerStates.RequireStoppable(record.Name, status);
                context.Report(args.Force ? "killing" : $"stopping (up to {timeout}s, then killing)");
                await runtime.StopAsync(record.Name, args.Force, timeout, ct).ConfigureAwait(false);
                events.Lifecycle("container.stopped", record.Name, context.Job.Id);
                break;
            case JobKinds.Restart:
                if (status is not ContainerStatus.Stopped)
                {
                    context.Report("stopping");
                    await runtime.StopAsync(record.Name, args.Force, timeout, ct).ConfigureAwait(false);
                    events.Lifecycle("container.stopped", record.Name, context.Job.Id);
                }

                context.Report("starting");
                await runtime.StartAsync(record.Name, ct).ConfigureAwait(false);
                events.Lifecycle("container.started", record.Name, context.Job.Id);
                break;
            case JobKinds.Freeze:
                ContainerStates.Require(record.Name, status, ContainerStatus.Running, "freeze");
                runtime.Freeze(record.Name);
                events.Lifecycle("container.frozen", record.Name, context.Job.Id);
                break;
            case JobKinds.Unfreeze:
                ContainerStates.Require(record.Name, status, ContainerStatus.Frozen, "unfreeze");
                runtime.Unfreeze(record.Name);
                events.Lifecycle("container.unfrozen", record.Name, context.Job.Id);
                break;
            default:
                throw new InvalidOperationException($"unexpected job kind {context.Job.Kind}");
        }
    }

    private async Task DeleteAsync(JobContext context)
    {
        var args = context.Args<StateArgs>();
        var ct = context.CancellationToken;
        var status = runtime.GetStatus(args.Name);

        // LXC cannot load it, so cannot stop it either: with force it is removed as it is.
        if (status is not (ContainerStatus.Stopped or ContainerStatus.Missing) && !(status is ContainerStatus.Error && args.Force))
        {
            if (!args.Force)
            {
                await containers.SetStatusAsync(args.Name, ContainerRecordStatus.Ready, null, ct).ConfigureAwait(false);
                throw ContainerStates.RunningRefusal(args.Name, "delete");
            }

            context.Report("killing");
            await runtime.StopAsync(args.Name, force: true, 0, ct).ConfigureAwait(false);
            events.Lifecycle("container.stopped", args.Name, context.Job.Id);
        }

        runtime.Forget(args.Name);
        await RemoveStorageAsync(args.Name, ct).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(paths.ContainerDir(args.Name)).ConfigureAwait(false);
        var deleted = await containers.GetAsync(args.Name, ct).ConfigureAwait(false);
        var nics = deleted?.Nics ?? [];
        var hadForwards = (await forwards.ListAsync(args.Name, ct).ConfigureAwait(false)).Count > 0 || nics.Any(n => n.Network.Isolated) || (deleted?.Owner is not null && nics.Count > 0);
        await containers.DeleteAsync(args.Name, ct).ConfigureAwait(false); // releases its address lease and forwards too
        if (hadForwards)
        {
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
        }

        foreach (var nic in nics)
        {
            await names.UpdateAsync(nic.Network, ct).ConfigureAwait(false);
        }

        events.Lifecycle("container.deleted", args.Name, context.Job.Id);
    }

    private async Task ConfigureAsync(JobContext context)
    {
        var args = context.Args<ConfigArgs>();
        var ct = context.CancellationToken;
        var record = await containers.GetAsync(args.Name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(args.Name);
        var updated = record with { Config = args.Config, Owner = args.Owner is { } changed ? changed.To : record.Owner };
        var live = runtime.GetStatus(record.Name) is ContainerStatus.Running or ContainerStatus.Frozen;

        await using var reverter = new Reverter(logger);
        if (args.Owner is { } owner)
        {
            await containers.SetOwnerAsync(record.Name, owner.To, ct).ConfigureAwait(false);
            reverter.Add("give the container back to its owner", () => containers.SetOwnerAsync(record.Name, record.Owner));
        }

        var quota = Users.QuotaDemand.ForConfigChange(Users.QuotaDemand.IsExempt(context.Job.RequestedBy), context.Job.RequestedBy, record.Name, args.Owner is { } o ? o.To : record.Owner, record.Config, updated.Config);
        await containers.SetConfigAsync(record.Name, updated.Config, quota, ct).ConfigureAwait(false);
        reverter.Add("restore the stored configuration", () => containers.SetConfigAsync(record.Name, record.Config));
        renderer.Write(updated);
        reverter.Add("restore the LXC configuration file", () => renderer.Write(record));
        record.Config.TryGetValue(ContainerConfig.LimitsDisk, out var oldDisk);
        updated.Config.TryGetValue(ContainerConfig.LimitsDisk, out var newDisk);
        if (oldDisk != newDisk)
        {
            var pool = await pools.PoolOfAsync(record.Name, ct).ConfigureAwait(false);
            var driver = pools.DriverOf(pool);
            long? Bytes(string? size) => ByteSize.TryParse(size, out var b) ? b : null;
            await driver.SetQuotaAsync(pool, record.Name, Bytes(newDisk), ct).ConfigureAwait(false);
            reverter.Add("restore the disk limit", () => driver.SetQuotaAsync(pool, record.Name, Bytes(oldDisk), CancellationToken.None));
        }

        if (live)
        {
            reverter.Add("restore the live limits", () => runtime.ApplyCgroup(record.Name, CgroupLimits.Settings(record.Config, cgroups, includeResets: true)));
            try
            {
                runtime.ApplyCgroup(record.Name, CgroupLimits.Settings(updated.Config, cgroups, includeResets: true));
            }
            catch (Native.LxcException ex)
            {
                throw DomainError.Conflict("Limit refused by the kernel", $"{ex.Message} (a memory limit below what the container uses now is refused; stop it or free memory first)");
            }
        }

        if (args.Owner is not null && record.Nics.Count > 0)
        {
            // Members' containers on shared networks are kept apart by owner.
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
        }

        reverter.Success();
        events.Lifecycle("container.configured", record.Name, context.Job.Id, live ? "applied live and saved" : "saved");
    }

    private async Task RemoveLeftoversAsync(string name, CancellationToken cancellationToken)
    {
        if (runtime.IsDefined(name) && runtime.GetStatus(name) is not (ContainerStatus.Stopped or ContainerStatus.Error))
        {
            await runtime.StopAsync(name, force: true, 0, cancellationToken).ConfigureAwait(false);
        }

        runtime.Forget(name);
        await RemoveStorageAsync(name, cancellationToken).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(paths.ContainerDir(name)).ConfigureAwait(false);
    }

    /// <summary>Removes the root filesystem and snapshots from the container's pool, and the record of where it was.</summary>
    private async Task RemoveStorageAsync(string name, CancellationToken cancellationToken)
    {
        var pool = await pools.PoolOfAsync(name, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.DeleteAsync(pool, name, cancellationToken).ConfigureAwait(false);
        await pools.ForgetAsync(name, cancellationToken).ConfigureAwait(false);

        // The last container standing on a deleted image's copy in the pool takes the copy along.
        await driver.PruneImagesAsync(pool, registry.All.Select(i => i.Fingerprint).ToHashSet(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
    }
}
