using Berth.Contracts;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Stacks;

/// <summary>down and restart: containers in reverse start order going down, in start order (and health) coming up.</summary>
public sealed partial class StackApplier
{
    public async Task DownAsync(StackDownArgs args, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var record = await stacks.GetAsync(args.Stack, cancellationToken).ConfigureAwait(false) ?? throw StackService.NotFound(args.Stack);
        var caller = args.Caller.ToCaller();
        var definition = record.State.Definition;
        foreach (var container in definition.Containers.Reverse())
        {
            var name = definition.ContainerName(container.Key);
            if (!runtime.IsDefined(name))
            {
                continue;
            }

            progress.Report($"{container.Key}: {(args.KeepData ? "stopping" : "deleting")} {name}");
            await StopAsync(name, cancellationToken).ConfigureAwait(false);
            if (!args.KeepData)
            {
                await WaitAsync(containers.DeleteAsync(name, force: true, cancellationToken), $"delete {name}", cancellationToken).ConfigureAwait(false);
            }
        }

        if (!args.KeepData)
        {
            // An up cut off by a restart between its swaps can leave a replacement or a replaced container aside.
            foreach (var aside in definition.Containers.SelectMany(c => new[] { StackPlanner.Beside(definition, c.Key, Next), StackPlanner.Beside(definition, c.Key, Previous) }))
            {
                await DeleteIfDefinedAsync(aside, cancellationToken).ConfigureAwait(false);
            }
        }

        if (args.KeepData)
        {
            return;
        }

        foreach (var built in record.State.Bases.Values.Where(b => runtime.IsDefined(b.Container)))
        {
            await WaitAsync(containers.DeleteAsync(built.Container, force: true, cancellationToken), $"delete base {built.Container}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var network in definition.Networks)
        {
            if (await networkStore.GetAsync(network.Bridge, cancellationToken).ConfigureAwait(false) is not null)
            {
                await WaitAsync(networks.DeleteAsync(caller, network.Bridge, cancellationToken), $"delete network {network.Bridge}", cancellationToken).ConfigureAwait(false);
            }
        }

        await stacks.DeleteAsync(args.Stack, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Restarts one container (or all) and then its dependents, each after its dependencies are started or healthy again.</summary>
    public async Task RestartAsync(StackDownArgs args, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var record = await stacks.GetAsync(args.Stack, cancellationToken).ConfigureAwait(false) ?? throw StackService.NotFound(args.Stack);
        var definition = record.State.Definition;
        var affected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in definition.Containers)
        {
            if (args.Container is null || container.Key == args.Container || container.DependsOn.Keys.Any(affected.Contains))
            {
                affected.Add(container.Key);
            }
        }

        if (args.Container is not null && !affected.Contains(args.Container))
        {
            throw DomainError.NotFound("Stack container not found", $"stack {args.Stack} has no container {args.Container}.");
        }

        foreach (var container in definition.Containers.Reverse().Where(c => affected.Contains(c.Key)))
        {
            progress.Report($"{container.Key}: stopping");
            await StopAsync(definition.ContainerName(container.Key), cancellationToken).ConfigureAwait(false);
        }

        foreach (var container in definition.Containers.Where(c => affected.Contains(c.Key)))
        {
            await WaitForDependenciesAsync(definition, container, progress, cancellationToken).ConfigureAwait(false);
            progress.Report($"{container.Key}: starting");
            var name = definition.ContainerName(container.Key);
            if (runtime.GetStatus(name) is not ContainerStatus.Running)
            {
                await StartAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
