using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Stacks;

/// <summary>
/// Makes a stack's plan real through the same services the API uses (so every step is checked as the caller's and
/// runs as a job): networks, then bases, then containers as a walk of their dependencies (independent ones side by side), then /etc/hosts everywhere, then
/// deletions. Anything created before a failure is undone; running containers are only touched after the new bases built.
/// </summary>
public sealed partial class StackApplier(
    ContainerService containers,
    ContainerCopyService copies,
    ForwardService forwards,
    Proxy.RouteService routes,
    NetworkService networks,
    NetworkStore networkStore,
    JobQueue jobs,
    RootfsFiles files,
    LxcRuntime runtime,
    StackStore stacks,
    StackExec exec,
    Images.ImageRegistry images,
    TimeProvider time,
    ILogger<StackApplier> logger)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(30);

    public IReadOnlyDictionary<string, string> BaseHashes(StackDefinition definition, StackUpload upload)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Bases.ToDictionary(b => b.Key, b => StackHashes.Base(b, images.Require(b.Image).Fingerprint, upload), StringComparer.Ordinal);
    }

    public async Task<StackPlan> PlanAsync(StackDefinition definition, StackUpload upload, CancellationToken cancellationToken)
    {
        var record = await stacks.GetAsync(definition.Name, cancellationToken).ConfigureAwait(false);
        return StackPlanner.Plan(definition, record?.State, BaseHashes(definition, upload), runtime.IsDefined, IsRunning);
    }

    private bool IsRunning(string name) => runtime.GetStatus(name) is ContainerStatus.Running or ContainerStatus.Frozen;

    public async Task UpAsync(StackUpArgs args, StackUpload upload, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var caller = args.Caller.ToCaller();
        var definition = args.Definition;
        var record = await stacks.GetAsync(definition.Name, cancellationToken).ConfigureAwait(false);
        var plan = StackPlanner.Plan(definition, record?.State, BaseHashes(definition, upload), runtime.IsDefined, IsRunning);
        if (plan.Items.FirstOrDefault(i => i.Kind == StackPlan.Network && i.Action == StackAction.Recreate) is { } changed)
        {
            throw DomainError.Conflict("Stack network changed", $"network {changed.Name} of stack {definition.Name} changed; run berth down first (DELETE /api/v1/stacks/{definition.Name}), then up.");
        }

        var bases = new Dictionary<string, StackBaseState>(record?.State.Bases ?? new Dictionary<string, StackBaseState>(), StringComparer.Ordinal);
        var replacedBases = new List<string>();
        await using var reverter = new Reverter(logger);
        foreach (var item in plan.Items.Where(i => i.Kind == StackPlan.Network && i.Action == StackAction.Create))
        {
            var network = definition.Networks.First(n => n.Key == item.Name);
            progress.Report($"network {item.Name}: creating {network.Bridge}");
            await WaitAsync(networks.CreateAsync(caller, new NetworkCreateRequest { Name = network.Bridge, Subnet = network.Subnet, Nat = network.Nat }, cancellationToken), $"network {item.Name}", cancellationToken).ConfigureAwait(false);
            reverter.Add($"delete network {network.Bridge}", () => WaitAsync(networks.DeleteAsync(caller, network.Bridge, CancellationToken.None), "undo", CancellationToken.None));
        }

        foreach (var item in plan.Items.Where(i => i.Kind == StackPlan.Base && i.Action is StackAction.Create or StackAction.Recreate))
        {
            var definitionOfBase = definition.Bases.First(b => b.Key == item.Name);
            progress.Report($"base {item.Name}: building {item.Object}");
            await BuildBaseAsync(caller, definition, definitionOfBase, item.Object, upload, reverter, cancellationToken).ConfigureAwait(false);
            if (bases.TryGetValue(item.Name, out var built) && built.Container != item.Object)
            {
                replacedBases.Add(built.Container);
            }

            bases[item.Name] = new StackBaseState(item.Object, plan.BaseHashes[item.Name]);
        }

        var old = record?.State.Definition;
        var retired = await ApplyContainersAsync(caller, definition, plan, bases, old, reverter, progress, cancellationToken).ConfigureAwait(false);

        await WriteHostsAsync(definition, cancellationToken).ConfigureAwait(false);
        await DeleteGoneAsync(caller, plan, [.. retired, .. replacedBases], progress, cancellationToken).ConfigureAwait(false);
        foreach (var gone in plan.Items.Where(i => i.Kind == StackPlan.Base && i.Action == StackAction.Delete))
        {
            bases.Remove(gone.Name);
        }

        await stacks.SaveAsync(new StackRecord(definition.Name, record?.Owner ?? caller.OwnerForNew, new StackState { Definition = definition, Bases = bases }, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        reverter.Success();
    }

    /// <summary>Waits for a job another service submitted; its failure fails this step with the job's message.</summary>
    private async Task WaitAsync(Task<JobRecord> submitted, string what, CancellationToken cancellationToken)
    {
        var job = await submitted.ConfigureAwait(false);
        var finished = await jobs.WaitAsync(job.Id, StepTimeout, cancellationToken).ConfigureAwait(false);
        if (finished?.Status != JobStatus.Succeeded)
        {
            throw DomainError.Conflict("Stack step failed", $"{what}: {finished?.Error ?? "did not finish in time"}");
        }
    }

    private Task StartAsync(string name, CancellationToken cancellationToken) =>
        WaitAsync(containers.ChangeStateAsync(name, new StateChangeRequest { Action = "start" }, cancellationToken), $"start {name}", cancellationToken);

    private async Task StopAsync(string name, CancellationToken cancellationToken)
    {
        if (runtime.GetStatus(name) is ContainerStatus.Running or ContainerStatus.Frozen)
        {
            await WaitAsync(containers.ChangeStateAsync(name, new StateChangeRequest { Action = "stop", Timeout = 10 }, cancellationToken), $"stop {name}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <param name="replaced">Containers renamed aside by a recreate, then bases replaced by a rebuild (after the copies made of them).</param>
    private async Task DeleteGoneAsync(Caller caller, StackPlan plan, IReadOnlyList<string> replaced, IProgress<string> progress, CancellationToken cancellationToken)
    {
        foreach (var item in plan.Items.Where(i => i.Kind == StackPlan.Container && i.Action == StackAction.Delete))
        {
            progress.Report($"{item.Name}: deleting ({item.Reason})");
            if (runtime.IsDefined(item.Object))
            {
                await WaitAsync(containers.DeleteAsync(item.Object, force: true, cancellationToken), $"delete {item.Object}", cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var gone in replaced.Concat(plan.Items.Where(i => i.Kind == StackPlan.Base && i.Action == StackAction.Delete).Select(i => i.Object)))
        {
            await DeleteIfDefinedAsync(gone, cancellationToken).ConfigureAwait(false);
        }

        foreach (var item in plan.Items.Where(i => i.Kind == StackPlan.Network && i.Action == StackAction.Delete))
        {
            await WaitAsync(networks.DeleteAsync(caller, item.Object, cancellationToken), $"delete network {item.Object}", cancellationToken).ConfigureAwait(false);
        }
    }
}
