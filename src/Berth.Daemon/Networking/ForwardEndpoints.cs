using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>/api/v1/containers/{name}/forwards and /ssh.</summary>
public static class ForwardEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/containers/{name}").WithTags("Forwards");
        group.MapGet("/forwards", (string name, ForwardService s, CancellationToken ct) => s.ListAsync(name, ct)).Reads(ObjectKind.Container);
        group.MapPost("/forwards", async (string name, ForwardRequest request, Caller caller, ForwardService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(caller, name, request, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapDelete("/forwards/{protocol}/{hostPort:int}", async (string name, string protocol, int hostPort, ForwardService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(name, protocol, hostPort, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapPost("/ssh", async (string name, ForwardService s, CancellationToken ct) =>
        {
            var (job, port) = await s.EnableSshAsync(name, ct).ConfigureAwait(false);
            var info = new SshInfo { Container = name, Port = port, Command = $"ssh -p {port} root@{System.Net.Dns.GetHostName()}" };
            return job is null ? Results.Ok(new SshEnableResult { Ssh = info }) : Results.Accepted(job.ToInfo().Url, new SshEnableResult { Ssh = info, Job = job.ToInfo() });
        }).Changes(ObjectKind.Container);
        group.MapDelete("/ssh", async (string name, ForwardService s, CancellationToken ct) =>
            JobResults.Accepted(await s.DisableSshAsync(name, ct).ConfigureAwait(false))).Changes(ObjectKind.Container);
        group.MapGet("/ssh-keys", async (string name, Store.ContainerStore containers, AuthorizedKeys keys, CancellationToken ct) =>
        {
            _ = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
            return await keys.ListAsync(name, ct).ConfigureAwait(false);
        }).Reads(ObjectKind.Container);
        group.MapPost("/ssh-keys", async (string name, SshKeyRequest request, Store.ContainerStore containers, Jobs.JobQueue jobs, CancellationToken ct) =>
        {
            _ = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
            if (!SshPublicKey.TryParse(request.Key, out var key, out var error))
            {
                throw DomainError.Invalid("Invalid SSH key", $"not an OpenSSH public key: {error}.");
            }

            return JobResults.Accepted(await jobs.SubmitAsync(SshKeyJobs.Add, name, new SshKeyArgs(name, key!.Line, null), ct).ConfigureAwait(false));
        }).Changes(ObjectKind.Container);
        group.MapDelete("/ssh-keys/{which}", async (string name, string which, Store.ContainerStore containers, AuthorizedKeys keys, Jobs.JobQueue jobs, CancellationToken ct) =>
        {
            _ = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
            which = Uri.UnescapeDataString(which); // routing leaves %2F (a '/' of a fingerprint) encoded
            if (!(await keys.ListAsync(name, ct).ConfigureAwait(false)).Any(k => k.Fingerprint == which || k.Comment == which))
            {
                throw DomainError.NotFound("Key not found", $"'{name}' has no key with fingerprint or comment '{which}'; GET /api/v1/containers/{name}/ssh-keys lists them.");
            }

            return JobResults.Accepted(await jobs.SubmitAsync(SshKeyJobs.Remove, name, new SshKeyArgs(name, null, which), ct).ConfigureAwait(false));
        }).Changes(ObjectKind.Container);
    }
}
