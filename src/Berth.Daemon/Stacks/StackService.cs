using System.Text;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Stacks;

/// <summary>What the API asks of stacks: files are read and checked here (every error at once, nothing changed), then a job applies the plan.</summary>
public sealed class StackService(StackStore stacks, StackApplier applier, StackUploads uploads, StackExec exec, JobQueue jobs, LxcRuntime runtime, RootfsFiles files, Store.ContainerStore containers, Proxy.ReverseProxy proxy, Store.Database database)
{
    public static DomainError NotFound(string name) =>
        DomainError.NotFound("Stack not found", $"there is no stack named '{Hosting.ControlCharacters.Visible(name)}'; GET /api/v1/stacks lists the stacks there are.");

    /// <summary>Reads the files (values of unset variables left empty) to tell the client which inputs and variables to send.</summary>
    public static StackInspectInfo Inspect(StackUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var result = new StackReader(upload.Variables, requireValues: false).Read(upload.Sources);
        var definition = result.Definition ?? throw Refusal(result.Errors);
        return new StackInspectInfo { Name = definition.Name, Inputs = definition.Inputs, Variables = result.Variables };
    }

    public async Task<StackPlanInfo> UpAsync(Caller caller, string name, StackUpload upload, bool dryRun, IReadOnlySet<string> profiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(upload);
        var result = new StackReader(upload.Variables, requireValues: true, profiles).Read(upload.Sources);
        var definition = result.Definition ?? throw Refusal(result.Errors);
        if (definition.Name != name)
        {
            throw DomainError.Invalid("Stack name mismatch", $"the file names the stack '{definition.Name}' but the request is for '{name}'; POST to /api/v1/stacks/{definition.Name}/up.");
        }

        var missing = definition.Inputs.Where(i => !upload.Under(i).Any()).ToList();
        if (missing.Count > 0)
        {
            throw Refusal([.. missing.Select(m => $"{upload.Sources[0].File}: files: {m}: not found next to the stack file (or an empty folder)")]);
        }

        if (!caller.IsAdmin && definition.Containers.FirstOrDefault(c => c.Volumes.Count > 0) is { } mounting)
        {
            throw DomainError.Forbidden("Volumes are for admins", $"containers.{mounting.Key}.volumes mounts host directories, which only an admin's stack may do; leave volumes out (files: of a base copies files in).");
        }

        if (definition.Containers.SelectMany(c => c.Volumes).Select(v => v.Split(':')[0]).FirstOrDefault(h => !Directory.Exists(h)) is { } missingHost)
        {
            throw DomainError.Invalid("Volume not found", $"volumes: {missingHost} is not a directory on the host; create it first.");
        }

        if (!proxy.Enabled && definition.Containers.FirstOrDefault(c => c.Routes.Count > 0) is { } routed)
        {
            throw DomainError.Conflict("Proxy is off", $"containers.{routed.Key}.routes needs berthd's reverse proxy, which is off on this host; leave routes out or ask an admin to turn the proxy on.");
        }

        var existing = await stacks.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && !caller.MayUse(existing.Owner))
        {
            throw DomainError.Conflict("Stack name taken", $"another user has a stack named '{name}'; give yours another name: in the file.");
        }

        foreach (var container in definition.Containers)
        {
            var object_ = definition.ContainerName(container.Key);
            var record = await containers.GetAsync(object_, cancellationToken).ConfigureAwait(false);
            var ours = existing?.State.Definition.Containers.Any(c => c.Key == container.Key) == true;
            if (!ours && (record is not null || runtime.IsDefined(object_)))
            {
                throw DomainError.Conflict("Name taken", $"a container named '{object_}' exists and is not part of stack {name}; rename or delete it, or rename the stack.");
            }
        }

        var plan = await applier.PlanAsync(definition, upload, cancellationToken).ConfigureAwait(false);

        // Refused here, before anything is made, rather than by the insert of the container that would go over.
        await Users.QuotaLedger.CheckAsync(database, StackQuota.Demand(caller, existing?.Owner ?? caller.OwnerForNew, plan), cancellationToken).ConfigureAwait(false);
        if (dryRun || plan.NothingToDo)
        {
            return new StackPlanInfo { Stack = name, DryRun = dryRun, Items = plan.Items };
        }

        var jobId = JobQueue.NewId();
        uploads.Add(jobId, upload);
        var job = await jobs.SubmitAsync(StackJobs.Up, StackJobs.Target(name), new StackUpArgs { Stack = name, Definition = definition, Caller = StackCallerArgs.Of(caller) }, cancellationToken, jobId).ConfigureAwait(false);
        return new StackPlanInfo { Stack = name, Items = plan.Items, Job = job.ToInfo() };
    }

    public async Task<Store.JobRecord> DownAsync(Caller caller, string name, bool keepData, CancellationToken cancellationToken)
    {
        _ = await RequireAsync(caller, name, cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(StackJobs.Down, StackJobs.Target(name), new StackDownArgs { Stack = name, Caller = StackCallerArgs.Of(caller), KeepData = keepData }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Store.JobRecord> RestartAsync(Caller caller, string name, string? container, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(caller, name, cancellationToken).ConfigureAwait(false);
        if (container is not null && !record.State.Definition.Containers.Any(c => c.Key == container))
        {
            throw DomainError.NotFound("Stack container not found", $"stack {name} has no container '{Hosting.ControlCharacters.Visible(container)}'; GET /api/v1/stacks/{name} lists them.");
        }

        return await jobs.SubmitAsync(StackJobs.Restart, StackJobs.Target(name), new StackDownArgs { Stack = name, Caller = StackCallerArgs.Of(caller), Container = container }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StackInfo>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var records = await stacks.ListAsync(caller.IsAdmin ? null : caller.Name, cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => caller.MayUse(r.Owner)).Select(r => Describe(r, []))];
    }

    /// <summary>The stack's containers with their state, address, forwards and health (the healthcheck is run now, for the running ones).</summary>
    public async Task<StackInfo> GetAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(caller, name, cancellationToken).ConfigureAwait(false);
        var definition = record.State.Definition;
        var members = await Task.WhenAll(definition.Containers.Select(async c =>
        {
            var object_ = definition.ContainerName(c.Key);
            var snapshot = runtime.Snapshot(object_, withUsage: false);
            var stored = await containers.GetAsync(object_, cancellationToken).ConfigureAwait(false);
            var health = "none";
            if (c.Healthcheck is { } check)
            {
                health = snapshot.Status is not ContainerStatus.Running ? "stopped"
                    : (await exec.RunAsync(object_, check.Command, check.Timeout, cancellationToken).ConfigureAwait(false)).ExitCode == 0 ? "healthy" : "unhealthy";
            }

            return new StackContainerInfo { Name = c.Key, Container = object_, Status = snapshot.Status, Health = health, Ipv4 = stored?.Nic?.Address, Forwards = c.Forwards };
        })).ConfigureAwait(false);
        return Describe(record, members);
    }

    /// <summary>The service's output from <paramref name="offset"/> (bytes), at most 1 MiB at a time.</summary>
    public async Task<StackLogChunk> LogsAsync(Caller caller, string name, string container, long offset, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(caller, name, cancellationToken).ConfigureAwait(false);
        if (!record.State.Definition.Containers.Any(c => c.Key == container))
        {
            throw DomainError.NotFound("Stack container not found", $"stack {name} has no container '{Hosting.ControlCharacters.Visible(container)}'; GET /api/v1/stacks/{name} lists them.");
        }

        var bytes = await files.UseAsync(record.State.Definition.ContainerName(container), root => root.Read(ServiceFiles.Log), cancellationToken).ConfigureAwait(false) ?? [];
        var start = (int)Math.Clamp(offset, 0, bytes.Length);
        var length = Math.Min(bytes.Length - start, 1 << 20);
        return new StackLogChunk { Text = Encoding.UTF8.GetString(bytes, start, length), Offset = start, Next = start + length };
    }

    private async Task<StackRecord> RequireAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var record = await stacks.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return record is not null && caller.MayUse(record.Owner) ? record : throw NotFound(name);
    }

    private static StackInfo Describe(StackRecord record, IReadOnlyList<StackContainerInfo> members) => new()
    {
        Name = record.Name,
        Owner = record.Owner,
        UpdatedAt = record.UpdatedAt,
        Containers = members,
        Bases = [.. record.State.Bases.Values.Select(b => b.Container)],
        Networks = [.. record.State.Definition.Networks.Select(n => n.Bridge)],
    };

    /// <summary>A stack file's errors, all of them, as one problem; the detail repeats them one per line.</summary>
    public static DomainError Refusal(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new DomainError(ErrorKind.Invalid, "Invalid stack file", string.Join("\n", errors)) { Errors = errors };
    }
}
