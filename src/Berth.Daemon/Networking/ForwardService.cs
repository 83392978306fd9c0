using System.Net;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>Port forwards and SSH ports: validated here (refused, nothing changed), stored, then applied to the firewall by a job.</summary>
public sealed class ForwardService(ForwardStore forwards, ContainerStore containers, JobQueue jobs, IOptions<BerthOptions> options, IOptions<Proxy.ProxyOptions> proxy)
{
    // Overlap and bind checks and the insert happen under one lock, so two adds cannot take one port.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<ForwardInfo>> ListAsync(string container, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        return [.. (await forwards.ListAsync(container, cancellationToken).ConfigureAwait(false)).Select(Describe)];
    }

    public async Task<JobRecord> AddAsync(Access.Caller caller, string container, ForwardRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var record = await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var (protocol, host, hostEnd, port, portEnd) = PortSpec.Parse(request.Ports);
        RequireMemberRange(caller, host, hostEnd);
        IPAddress? listen = null;
        if (request.ListenAddress is { } text && !IPAddress.TryParse(text, out listen))
        {
            throw DomainError.Invalid("Invalid listen address", $"'{text}' is not an IPv4 or IPv6 address of this host.");
        }

        // IPv6 has no route_localnet: a packet from ::1 can never be routed to a container.
        if (listen is not null && listen.Equals(IPAddress.IPv6Loopback))
        {
            throw DomainError.Invalid("IPv6 loopback not forwarded", "the host's ::1 cannot be forwarded to a container; listen on 127.0.0.1 instead (the host's own connections to 127.0.0.1 reach every forward).");
        }

        if (listen is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } && record.Nic?.Address6 is null)
        {
            throw DomainError.Invalid("No IPv6 address", $"'{record.Name}' has no IPv6 address to forward {listen} to; put it on a network with an ipv6 subnet, or listen on an IPv4 address.");
        }

        if (!request.Force && HostServicePorts.Find(protocol, host, hostEnd) is { } reserved)
        {
            throw DomainError.Conflict(
                "Host service port",
                $"{protocol} port {reserved.Port} belongs to the host's {reserved.Service} service by convention; forwarding it would take it from the host. Choose another host port, or set force to forward it anyway.");
        }

        var forward = new PortForward
        {
            Container = record.Name,
            Protocol = protocol,
            HostPort = host,
            HostPortEnd = hostEnd,
            ContainerPort = port,
            ContainerPortEnd = portEnd,
            ListenAddress = listen?.ToString(),
        };
        return await InsertAndSubmitAsync(forward, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> RemoveAsync(string container, string protocol, int hostPort, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var existing = (await forwards.ListAsync(container, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Protocol == protocol && f.HostPort == hostPort)
            ?? throw DomainError.NotFound("Forward not found", $"'{container}' has no {protocol} forward from host port {hostPort}; GET /api/v1/containers/{container}/forwards lists them.");
        return await jobs.SubmitAsync(NetworkJobKinds.ForwardRemove, container, new ForwardArgs(container, existing.Protocol, existing.HostPort), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the container's SSH port away again.</summary>
    public async Task<JobRecord> DisableSshAsync(string container, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var current = (await forwards.ListAsync(container, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Ssh)
            ?? throw DomainError.NotFound("SSH not enabled", $"'{container}' has no SSH port.");
        return await jobs.SubmitAsync(NetworkJobKinds.ForwardRemove, container, new ForwardArgs(container, current.Protocol, current.HostPort), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the container an SSH port from the configured range (or returns the one it has).</summary>
    public async Task<(JobRecord? Job, int Port)> EnableSshAsync(string container, CancellationToken cancellationToken)
    {
        var record = await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var current = (await forwards.ListAsync(container, cancellationToken).ConfigureAwait(false)).FirstOrDefault(f => f.Ssh);
        if (current is not null)
        {
            return (null, current.HostPort);
        }

        var (first, last) = DaemonCommandLine.ParsePortRange(options.Value.SshPorts);
        var used = (await forwards.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(f => f.Protocol == "tcp").ToList();
        for (var port = first; port <= last; port++)
        {
            if (used.Any(f => port >= f.HostPort && port <= f.HostPortEnd) || !HostPorts.IsFree("tcp", port, null))
            {
                continue;
            }

            var forward = new PortForward { Container = record.Name, Protocol = "tcp", HostPort = port, HostPortEnd = port, ContainerPort = 22, ContainerPortEnd = 22, Ssh = true };
            try
            {
                return (await InsertAndSubmitAsync(forward, cancellationToken).ConfigureAwait(false), port);
            }
            catch (DomainError ex) when (ex.Kind == ErrorKind.Conflict)
            {
                // Taken between the look and the insert; try the next one.
            }
        }

        throw DomainError.Conflict("No SSH port left", $"every port of the SSH range {options.Value.SshPorts} is taken.");
    }

    /// <summary>Members forward only host ports of the range the admin set aside for them (the host's other ports stay the admin's).</summary>
    private void RequireMemberRange(Access.Caller caller, int host, int hostEnd)
    {
        var (first, last) = DaemonCommandLine.ParsePortRange(options.Value.MemberPorts, "--member-ports");
        if (!caller.IsAdmin && (host < first || hostEnd > last))
        {
            throw DomainError.Forbidden("Host port outside the member range",
                $"members forward host ports {options.Value.MemberPorts} only (set by the admin with berthd --member-ports); choose a host port in that range.");
        }
    }

    private async Task<JobRecord> InsertAndSubmitAsync(PortForward forward, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var clash = (await forwards.ListAsync(null, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(f => f.Protocol == forward.Protocol && f.HostPort <= forward.HostPortEnd && forward.HostPort <= f.HostPortEnd);
            if (clash is not null)
            {
                throw DomainError.Conflict("Host port taken", $"{forward.Protocol} port {Range(forward)} overlaps the forward {Range(clash)} to '{clash.Container}'; choose another host port.");
            }

            if (proxy.Value.Claimed(forward.Protocol, forward.HostPort, forward.HostPortEnd) is { } claimed)
            {
                throw DomainError.Conflict("Host port taken", $"tcp port {claimed.Port} is the proxy's ({claimed.Switch}); route a domain to the container (POST /api/v1/routes) instead, or choose another host port.");
            }

            var listen = forward.ListenAddress is null ? null : IPAddress.Parse(forward.ListenAddress);
            for (var port = forward.HostPort; port <= forward.HostPortEnd; port++)
            {
                if (!HostPorts.IsFree(forward.Protocol, port, listen))
                {
                    throw DomainError.Conflict("Host port taken", $"{forward.Protocol} port {port} is in use by a service on this host; choose another host port.");
                }
            }

            if (!await forwards.TryInsertAsync(forward, Users.QuotaDemand.ForForward(Access.Caller.Current, forward.Container, forward.Ssh), cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Host port taken", $"{forward.Protocol} port {forward.HostPort} is already forwarded.");
            }

            try
            {
                return await jobs.SubmitAsync(NetworkJobKinds.ForwardAdd, forward.Container, new ForwardArgs(forward.Container, forward.Protocol, forward.HostPort), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await forwards.DeleteAsync(forward.Container, forward.Protocol, forward.HostPort, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ContainerRecord> RequireContainerAsync(string name, CancellationToken cancellationToken)
    {
        var record = await containers.GetAsync(name, cancellationToken).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        return record.Nic is null
            ? throw DomainError.Conflict("Container has no network", $"'{name}' is not on a managed network, so nothing can be forwarded to it; give it a network (network when launching, or config network=NAME).")
            : record;
    }

    private static string Range(PortForward f) => f.HostPort == f.HostPortEnd ? $"{f.HostPort}" : $"{f.HostPort}-{f.HostPortEnd}";

    public static ForwardInfo Describe(PortForward f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new()
        {
            Container = f.Container,
            Protocol = f.Protocol,
            HostPort = f.HostPort,
            HostPortEnd = f.HostPortEnd,
            ContainerPort = f.ContainerPort,
            ContainerPortEnd = f.ContainerPortEnd,
            ListenAddress = f.ListenAddress,
            TargetAddress = f.TargetAddress,
            TargetAddress6 = f.TargetAddress6,
            Ssh = f.Ssh,
        };
    }
}
