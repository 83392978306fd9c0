using Berth.Daemon.Access;
using Berth.Daemon.Api;

namespace Berth.Daemon.Stacks;

/// <summary>/api/v1/stacks: inspect, up (plan and apply), down, restart, ps and logs.</summary>
public static class StackEndpoints
{
    public static IEndpointRouteBuilder MapBerthStacks(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/stacks").WithTags("Stacks");
        group.MapGet("/", (Caller caller, StackService s, CancellationToken ct) => s.ListAsync(caller, ct)).Reads();
        group.MapPost("/inspect", async (HttpRequest request, CancellationToken ct) =>
            StackService.Inspect(await StackUpload.ReadAsync(request.Body, ct).ConfigureAwait(false))).Reads();
        group.MapPost("/{name}/up", async (string name, HttpRequest request, bool? dryRun, string? profiles, Caller caller, StackService s, CancellationToken ct) =>
        {
            var upload = await StackUpload.ReadAsync(request.Body, ct).ConfigureAwait(false);
            var active = (profiles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var plan = await s.UpAsync(caller, name, upload, dryRun == true, active, ct).ConfigureAwait(false);
            return plan.Job is { } job ? Results.Accepted(job.Url, plan) : Results.Ok(plan);
        }).ChangesOrCreates(ObjectKind.Stack);
        group.MapGet("/{name}", (string name, Caller caller, StackService s, CancellationToken ct) => s.GetAsync(caller, name, ct)).Reads(ObjectKind.Stack);
        group.MapDelete("/{name}", async (string name, bool? keepData, Caller caller, StackService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DownAsync(caller, name, keepData == true, ct).ConfigureAwait(false))).Changes(ObjectKind.Stack);
        group.MapPost("/{name}/restart", async (string name, string? container, Caller caller, StackService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RestartAsync(caller, name, container, ct).ConfigureAwait(false))).Changes(ObjectKind.Stack);
        group.MapGet("/{name}/logs/{container}", (string name, string container, long? offset, Caller caller, StackService s, CancellationToken ct) =>
            s.LogsAsync(caller, name, container, offset ?? 0, ct)).Reads(ObjectKind.Stack);
        return api;
    }

    public static IServiceCollection AddBerthStacks(this IServiceCollection services)
    {
        services.AddSingleton<StackStore>();
        services.AddSingleton<StackUploads>();
        services.AddSingleton<StackExec>();
        services.AddSingleton<StackApplier>();
        services.AddSingleton<StackService>();
        services.AddSingleton<Jobs.IJobHandler, StackJobs>();
        services.AddSingleton<IOwnerLookup, StackOwners>();
        return services;
    }
}
