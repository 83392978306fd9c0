using Berth.Contracts;
using Berth.Daemon.Api;

namespace Berth.Daemon.Networking;

/// <summary>/api/v1/containers/{name}/forwards and /ssh.</summary>
public static class ForwardEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/containers/{name}").WithTags("Forwards");
        group.MapGet("/forwards", (string name, ForwardService s, CancellationToken ct) => s.ListAsync(name, ct));
        group.MapPost("/forwards", async (string name, ForwardRequest request, ForwardService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(name, request, ct).ConfigureAwait(false)));
        group.MapDelete("/forwards/{protocol}/{hostPort:int}", async (string name, string protocol, int hostPort, ForwardService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(name, protocol, hostPort, ct).ConfigureAwait(false)));
        group.MapPost("/ssh", async (string name, ForwardService s, CancellationToken ct) =>
        {
            var (job, port) = await s.EnableSshAsync(name, ct).ConfigureAwait(false);
            var info = new SshInfo { Container = name, Port = port, Command = $"ssh -p {port} root@{System.Net.Dns.GetHostName()}" };
            return job is null ? Results.Ok(info) : Results.Accepted(job.ToInfo().Url, new SshEnableResult { Ssh = info, Job = job.ToInfo() });
        });
    }
}
