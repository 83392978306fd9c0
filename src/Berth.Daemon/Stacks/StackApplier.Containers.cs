using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Jobs;

namespace Berth.Daemon.Stacks;

/// <summary>
/// The containers of an up as a walk of their dependency graph: each one is created (or restarted, or changed) as soon
/// as a slot is free, and started as soon as its own dependencies are ready, so independent containers go side by side.
/// After a failure no new step starts, the steps under way finish (so their undo is known), and the up fails.
/// </summary>
public sealed partial class StackApplier
{
    /// <summary>At most this many containers are copied, configured or changed at once.</summary>
    private static int Slots => Math.Max(2, Environment.ProcessorCount * 2);

    /// <returns>The replaced containers, renamed aside, for the up to delete once everything else succeeded.</returns>
    private async Task<IReadOnlyCollection<string>> ApplyContainersAsync(
        Caller caller, StackDefinition definition, StackPlan plan, IReadOnlyDictionary<string, StackBaseState> bases, StackDefinition? old,
        Reverter reverter, IProgress<string> progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(Slots, Slots);
        var walk = new Walk(definition, failed, new Dictionary<string, Task>(StringComparer.Ordinal), new Dictionary<string, Task>(StringComparer.Ordinal));
        foreach (var container in definition.Containers)
        {
            // Dependencies come first in the file's start order, so their tasks exist already.
            walk.Done[container.Key] = GuardAsync(ApplyOneAsync(caller, walk, plan, container, bases, old, reverter, slots, progress, cancellationToken), failed);
        }

        // Every task is in Done before any of them reads it.
        walk.Begun.SetResult();

        try
        {
            await Task.WhenAll(walk.Done.Values).ConfigureAwait(false);
        }
        catch (Exception) when (walk.Done.Values.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        return walk.Retired;
    }

    private static async Task GuardAsync(Task step, CancellationTokenSource failed)
    {
        try
        {
            await step.ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ApplyOneAsync(
        Caller caller, Walk walk, StackPlan plan, StackContainer container, IReadOnlyDictionary<string, StackBaseState> bases, StackDefinition? old,
        Reverter reverter, SemaphoreSlim slots, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await walk.Begun.Task.ConfigureAwait(false);
        var item = plan.Of(StackPlan.Container, container.Key);
        var name = item.Object;
        switch (item.Action)
        {
            case StackAction.Create:
                await InSlotAsync(walk, slots, async () =>
                {
                    // Left by an earlier up that was cut off between its swaps: this key's container is missing, so they are stale.
                    await DeleteIfDefinedAsync(StackPlanner.Beside(walk.Definition, container.Key, Next), cancellationToken).ConfigureAwait(false);
                    await DeleteIfDefinedAsync(StackPlanner.Beside(walk.Definition, container.Key, Previous), cancellationToken).ConfigureAwait(false);
                    progress.Report($"{container.Key}: creating {name}");
                    await CreateContainerAsync(caller, walk.Definition, container, bases, reverter, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                await DependenciesReadyAsync(walk, container, progress, cancellationToken).ConfigureAwait(false);
                walk.Failed.Token.ThrowIfCancellationRequested();
                await StartAsync(name, cancellationToken).ConfigureAwait(false);
                break;
            case StackAction.Recreate:
                // Built beside the running one; swapped in once its dependencies are ready, and kept only when it is healthy.
                var next = StackPlanner.Beside(walk.Definition, container.Key, Next);
                await InSlotAsync(walk, slots, async () =>
                {
                    await DeleteIfDefinedAsync(next, cancellationToken).ConfigureAwait(false);
                    progress.Report($"{container.Key}: building {next} beside {name} ({item.Reason})");
                    await CreateContainerAsync(caller, walk.Definition, container, bases, reverter, cancellationToken, beside: next).ConfigureAwait(false);
                }).ConfigureAwait(false);
                await DependenciesReadyAsync(walk, container, progress, cancellationToken).ConfigureAwait(false);
                walk.Failed.Token.ThrowIfCancellationRequested();
                await SwapInAsync(caller, walk, container, old?.Containers.FirstOrDefault(c => c.Key == container.Key), next, reverter, progress, cancellationToken).ConfigureAwait(false);
                if (container.Healthcheck is { } check)
                {
                    progress.Report($"{container.Key}: waiting for {name} to be healthy");
                    await walk.Once($"healthy:{container.Key}", () => WaitHealthyAsync(name, check, walk.Failed.Token)).ConfigureAwait(false);
                }

                break;
            case StackAction.Restart:
                await InSlotAsync(walk, slots, async () =>
                {
                    progress.Report($"{container.Key}: restarting ({item.Reason})");
                    await StopAsync(name, cancellationToken).ConfigureAwait(false);
                    if (old?.Containers.FirstOrDefault(c => c.Key == container.Key) is { } previous)
                    {
                        await SetVolumesAsync(caller, name, previous, container, cancellationToken).ConfigureAwait(false);
                    }

                    await WriteServiceAsync(name, container, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                await DependenciesReadyAsync(walk, container, progress, cancellationToken).ConfigureAwait(false);
                walk.Failed.Token.ThrowIfCancellationRequested();
                await StartAsync(name, cancellationToken).ConfigureAwait(false);
                break;
            case StackAction.Change:
                await InSlotAsync(walk, slots, () =>
                {
                    progress.Report($"{container.Key}: changing ({item.Reason})");
                    return ChangeInPlaceAsync(caller, name, old!.Containers.First(c => c.Key == container.Key), container, cancellationToken);
                }).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    private const string Next = "next";
    private const string Previous = "prev";

    /// <summary>
    /// Stops the replaced container and renames it aside (deleted once the whole up succeeded), moves its forwards and
    /// routes to the new one, gives the new one its name and starts it. Each step is undone on any later failure of the
    /// up, so a failed up runs the old container again under its name, reachable as before.
    /// </summary>
    private async Task SwapInAsync(Caller caller, Walk walk, StackContainer container, StackContainer? before, string next, Reverter reverter, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var name = walk.Definition.ContainerName(container.Key);
        var previous = StackPlanner.Beside(walk.Definition, container.Key, Previous);
        progress.Report($"{container.Key}: swapping {next} in for {name}");
        await DeleteIfDefinedAsync(previous, cancellationToken).ConfigureAwait(false);
        if (IsRunning(name))
        {
            await StopAsync(name, cancellationToken).ConfigureAwait(false);
            reverter.Add($"start {name} again", () => StartAsync(name, CancellationToken.None));
        }

        await RenameAsync(name, previous, cancellationToken).ConfigureAwait(false);
        reverter.Add($"rename {previous} back to {name}", () => RenameAsync(previous, name, CancellationToken.None));
        walk.Retired.Add(previous);
        foreach (var forward in before?.Forwards ?? [])
        {
            await RemoveForwardAsync(previous, forward, cancellationToken).ConfigureAwait(false);
            reverter.Add($"forward {forward} to {previous} again", () => WaitAsync(forwards.AddAsync(caller, previous, new ForwardRequest { Ports = forward }, CancellationToken.None), "undo", CancellationToken.None));
        }

        foreach (var route in before?.Routes ?? [])
        {
            await WaitAsync(routes.RemoveAsync(caller, route.Domain, route.Path, cancellationToken), $"remove route {route}", cancellationToken).ConfigureAwait(false);
            reverter.Add($"route {route} to {previous} again", () => AddRouteAsync(caller, previous, route, null, CancellationToken.None));
        }

        await RenameAsync(next, name, cancellationToken).ConfigureAwait(false);
        reverter.Add($"rename {name} back to {next}", async () =>
        {
            await StopAsync(name, CancellationToken.None).ConfigureAwait(false);
            await RenameAsync(name, next, CancellationToken.None).ConfigureAwait(false);
        });
        foreach (var forward in container.Forwards)
        {
            await WaitAsync(forwards.AddAsync(caller, name, new ForwardRequest { Ports = forward }, cancellationToken), $"forward {forward} to {name}", cancellationToken).ConfigureAwait(false);
            reverter.Add($"remove forward {forward} from {name}", () => RemoveForwardAsync(name, forward, CancellationToken.None));
        }

        foreach (var route in container.Routes)
        {
            await AddRouteAsync(caller, name, route, reverter, cancellationToken).ConfigureAwait(false);
        }

        await StartAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private Task RenameAsync(string name, string target, CancellationToken cancellationToken) =>
        WaitAsync(containers.RenameAsync(name, new RenameRequest { Name = target }, cancellationToken), $"rename {name} to {target}", cancellationToken);

    private Task RemoveForwardAsync(string name, string forward, CancellationToken cancellationToken)
    {
        var (protocol, hostPort, _, _, _) = Networking.PortSpec.Parse(forward);
        return WaitAsync(forwards.RemoveAsync(name, protocol, hostPort, cancellationToken), $"remove forward {forward} from {name}", cancellationToken);
    }

    private async Task DeleteIfDefinedAsync(string name, CancellationToken cancellationToken)
    {
        if (runtime.IsDefined(name))
        {
            await WaitAsync(containers.DeleteAsync(name, force: true, cancellationToken), $"delete {name}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a step that makes or changes things once a slot is free; it is not cancelled by another branch's failure, only not begun.</summary>
    private static async Task InSlotAsync(Walk walk, SemaphoreSlim slots, Func<Task> step)
    {
        await slots.WaitAsync(walk.Failed.Token).ConfigureAwait(false);
        try
        {
            walk.Failed.Token.ThrowIfCancellationRequested();
            await step().ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>started: running; healthy: its healthcheck passed (retries failures in a row fail the up); completed: its service exited 0. Each wait runs once however many depend on it.</summary>
    private Task DependenciesReadyAsync(Walk walk, StackContainer container, IProgress<string> progress, CancellationToken cancellationToken) =>
        Task.WhenAll(container.DependsOn.Select(d => walk.Once($"{d.Value}:{d.Key}", () => ReadyAsync(walk, container, d.Key, d.Value, progress, cancellationToken))));

    private async Task ReadyAsync(Walk walk, StackContainer container, string key, string condition, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await walk.Done[key].ConfigureAwait(false);
        await walk.Once($"running:{key}", async () =>
        {
            var name = walk.Definition.ContainerName(key);
            if (runtime.GetStatus(name) is not ContainerStatus.Running)
            {
                walk.Failed.Token.ThrowIfCancellationRequested();
                await StartAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        var dependency = walk.Definition.Containers.First(c => c.Key == key);
        if (condition == "healthy")
        {
            progress.Report($"{container.Key}: waiting for {key} to be healthy");
            await WaitHealthyAsync(walk.Definition.ContainerName(key), dependency.Healthcheck!, walk.Failed.Token).ConfigureAwait(false);
        }
        else if (condition == "completed")
        {
            progress.Report($"{container.Key}: waiting for {key} to complete");
            await WaitCompletedAsync(walk.Definition.ContainerName(key), walk.Failed.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The state of one walk: each container's task, and the waits shared between dependents.</summary>
    private sealed record Walk(StackDefinition Definition, CancellationTokenSource Failed, Dictionary<string, Task> Done, Dictionary<string, Task> Waits)
    {
        /// <summary>The replaced containers, renamed aside: deleted once the whole up succeeded.</summary>
        public System.Collections.Concurrent.ConcurrentBag<string> Retired { get; } = [];

        private readonly Lock _lock = new();

        /// <summary>Set once every container's task is in <see cref="Done"/>.</summary>
        public TaskCompletionSource Begun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Once(string id, Func<Task> make)
        {
            lock (_lock)
            {
                if (!Waits.TryGetValue(id, out var task))
                {
                    task = Task.Run(make);
                    Waits[id] = task;
                }

                return task;
            }
        }
    }
}
