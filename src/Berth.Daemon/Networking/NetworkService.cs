using System.Net;
using System.Net.NetworkInformation;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>What the API asks of networks: reads from the store; changes validated here, then handed to a job.</summary>
public sealed class NetworkService(NetworkStore networks, JobQueue jobs, TimeProvider time, Database database, HostNetwork.HostBridgeStore hostBridges, Microsoft.Extensions.Options.IOptions<Hosting.BerthOptions> options)
{
    // Overlap checks and inserts happen under one lock, so two concurrent creates cannot both take one range.
    private readonly SemaphoreSlim _createGate = new(1, 1);

    public async Task<IReadOnlyList<NetworkInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var leases = await networks.ListLeasesAsync(null, cancellationToken).ConfigureAwait(false);
        return [.. (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).Select(n => Describe(n, leases))];
    }

    public async Task<NetworkInfo> GetAsync(string name, CancellationToken cancellationToken)
    {
        var network = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        return Describe(network, await networks.ListLeasesAsync(network.Name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// An admin's network is shared (every member may join it); a member's is their own: only they and admins attach to
    /// it, and it masquerades unless internal, so nothing leaves it under the member's own addresses.
    /// </summary>
    public async Task<JobRecord> CreateAsync(Access.Caller caller, NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var memberPool = !caller.IsAdmin && options.Value.MemberSubnets is { Length: > 0 } pool && IpSubnet.TryParse(pool, out var parsed, out _) ? parsed : null;
        if (memberPool is not null && request.Subnet is { Length: > 0 } asked && IpSubnet.TryParse(asked, out var subnet, out _) && subnet!.IsIpv4 && !Inside(subnet, memberPool))
        {
            throw DomainError.Forbidden("Subnet outside the member range", $"members' networks come from {memberPool}, set by the admin (berthd --member-subnets); leave out subnet to get a free /24 of it, or give a subnet inside it.");
        }

        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!caller.IsAdmin)
            {
                // Under the gate, which serialises every network creation: parallel requests of one member count one by one.
                await Users.QuotaLedger.CheckAsync(database, Users.QuotaDemand.ForNetwork(caller), cancellationToken).ConfigureAwait(false);
            }

            if (memberPool is not null && string.IsNullOrEmpty(request.Subnet))
            {
                request = request with { Subnet = (await FreeBlockAsync(memberPool, cancellationToken).ConfigureAwait(false)).ToString() };
            }

            var record = await ValidateAsync(request, cancellationToken).ConfigureAwait(false);
            if (!caller.IsAdmin)
            {
                record = record with { Owner = caller.Name, Nat = !record.Internal };
            }

            await RefuseOverlapsAsync(record, cancellationToken).ConfigureAwait(false);
            var jobId = JobQueue.NewId();
            record = record with { JobId = jobId };
            if (!await networks.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Network exists", $"a network named '{record.Name}' already exists; GET /api/v1/networks lists them.");
            }

            try
            {
                return await jobs.SubmitAsync(NetworkJobKinds.Create, record.Name, new NetworkArgs(record.Name), cancellationToken, jobId).ConfigureAwait(false);
            }
            catch
            {
                await networks.DeleteAsync(record.Name, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async Task<JobRecord> DeleteAsync(Access.Caller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var network = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!caller.MayUse(network.Owner))
        {
            // Another member's network answers as if it did not exist; a shared one the member can see but not remove.
            throw network.Owner is null
                ? DomainError.Forbidden("Shared networks are the admin's", $"'{name}' is shared by every member; only an admin deletes it.")
                : NetworkName.NotFound(name);
        }

        // The file is what the host should be: a network deleted here would come back at the next apply or start.
        if ((await hostBridges.ListAsync(cancellationToken).ConfigureAwait(false)).Any(b => b.Network && b.Name == network.Name))
        {
            throw DomainError.Conflict("Network from the host network file", $"'{name}' is a bridge of the applied host network file, which owns it; remove the bridge from the file (or give it network: false) and apply the file again (POST /api/v1/host/network/apply).");
        }

        var jobId = JobQueue.NewId();
        if (!await networks.TryClaimUnusedAsync(network.Name, NetworkStatus.Deleting, jobId, cancellationToken).ConfigureAwait(false))
        {
            var users = (await networks.ListLeasesAsync(network.Name, cancellationToken).ConfigureAwait(false)).Select(l => l.Container).ToList();
            throw users.Count > 0
                ? DomainError.Conflict("Network in use", $"'{name}' is used by {string.Join(", ", users)}; delete those containers first.")
                : DomainError.Conflict("Network busy", $"'{name}' is being created or deleted by another job; wait for it (GET /api/v1/jobs).");
        }

        return await jobs.SubmitAsync(NetworkJobKinds.Delete, network.Name, new NetworkArgs(network.Name), cancellationToken, jobId).ConfigureAwait(false);
    }

    /// <summary>The network a launch attaches to and the address it gets; refused (nothing changed) when it cannot.</summary>
    public async Task<NetworkRecord> RequireReadyAsync(string name, CancellationToken cancellationToken)
    {
        var network = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (network.Status != NetworkStatus.Ready)
        {
            throw DomainError.Conflict("Network busy", $"network '{name}' is {network.Status}; wait for its job (GET /api/v1/jobs).");
        }

        return network;
    }

    /// <summary>
    /// The network a new container joins (<paramref name="name"/>, else <paramref name="fallback"/>; "none" for none) and
    /// the address asked for, validated against its subnet. Launch, copy, import and a network change all use this.
    /// </summary>
    public async Task<(NetworkRecord? Network, IPAddress? Address)> ResolveAttachmentAsync(string? name, string? ip, string? fallback, CancellationToken cancellationToken)
    {
        name ??= fallback;
        if (name is null or "none")
        {
            return ip is null ? (null, null) : throw DomainError.Invalid("Address without network", "an address (ip) needs a network to be on; give network too.");
        }

        var network = await RequireReadyAsync(name, cancellationToken).ConfigureAwait(false);
        if (ip is null)
        {
            return (network, null);
        }

        var subnet4 = network.Ipv4;
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw DomainError.Invalid("Invalid address", $"'{ip}' is not an IPv4 address.");
        }

        var offset = subnet4.Contains(address) ? subnet4.OffsetOf(address) : UInt128.Zero;
        if (!subnet4.Contains(address) || offset < 2 || offset >= subnet4.Size - 1)
        {
            throw DomainError.Invalid("Address outside the network", $"{address} is not a usable container address of '{network.Name}' ({network.Subnet}): it must be inside the subnet and not its network, gateway ({subnet4.Gateway}) or broadcast address.");
        }

        return (network, address);
    }

    private async Task<NetworkRecord> RequireAsync(string name, CancellationToken cancellationToken) =>
        (NetworkName.IsValid(name) ? await networks.GetAsync(name, cancellationToken).ConfigureAwait(false) : null)
        ?? throw NetworkName.NotFound(name);

    private async Task<NetworkRecord> ValidateAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        var record = ValidateShape(request);
        if (await networks.GetAsync(record.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw DomainError.Conflict("Network exists", $"a network named '{record.Name}' already exists; GET /api/v1/networks lists them.");
        }

        if (Bridges.Exists(record.Bridge))
        {
            throw DomainError.Conflict("Interface exists", $"the host already has an interface named '{record.Name}'; choose another network name.");
        }

        return record;
    }

    private NetworkRecord ValidateShape(NetworkCreateRequest request)
    {
        var name = NetworkName.Validate(request.Name);
        if (string.IsNullOrEmpty(request.Subnet))
        {
            throw DomainError.Invalid("Subnet needed", "give subnet, an IPv4 range such as 10.20.0.0/24 (a member of a host with a member range may leave it out and gets a free /24 of it).");
        }

        if (!IpSubnet.TryParse(request.Subnet, out var subnet, out var error) || !subnet!.IsIpv4)
        {
            throw DomainError.Invalid("Invalid subnet", subnet is null ? error : $"'{request.Subnet}' is not an IPv4 subnet; give the IPv6 subnet as ipv6: SUBNET.");
        }

        if (subnet.PrefixLength is < 8 or > 29)
        {
            throw DomainError.Invalid("Invalid subnet", $"'{request.Subnet}': the prefix length must be between 8 and 29.");
        }

        if (ReservedRanges.Problem(subnet) is { } reserved)
        {
            throw DomainError.Invalid("Reserved subnet", reserved + ".");
        }

        if (request.Internal && request.Nat)
        {
            throw DomainError.Invalid("Conflicting modes", "an internal network sends nothing beyond its bridge, so it cannot also masquerade; leave out nat or internal.");
        }

        IpSubnet? subnet6 = null;
        if (request.Ipv6 is { Length: > 0 } v6 && (!IpSubnet.TryParse(v6, out subnet6, out error) || subnet6!.IsIpv4 || subnet6.PrefixLength is < 48 or > 120))
        {
            throw DomainError.Invalid("Invalid IPv6 prefix", subnet6 is null ? error : $"'{v6}' must be an IPv6 prefix of length 48 to 120, e.g. fd42:20::/64.");
        }

        if (subnet6 is not null && ReservedRanges.Problem(subnet6) is { } reserved6)
        {
            throw DomainError.Invalid("Reserved IPv6 prefix", reserved6 + ".");
        }

        return new NetworkRecord
        {
            Name = name,
            Subnet = subnet.ToString(),
            Subnet6 = subnet6?.ToString(),
            Nat = request.Nat,
            Isolated = request.Isolated,
            Internal = request.Internal,
            Status = NetworkStatus.Creating,
            CreatedAt = time.GetUtcNow(),
        };
    }

    private static bool Inside(IpSubnet subnet, IpSubnet range) =>
        subnet.PrefixLength >= range.PrefixLength && range.Contains(subnet.At(0));

    /// <summary>The lowest /24 of <paramref name="range"/> that no network and no host interface uses.</summary>
    private async Task<IpSubnet> FreeBlockAsync(IpSubnet range, CancellationToken cancellationToken)
    {
        var taken = (await networks.ListAsync(cancellationToken).ConfigureAwait(false)).Select(n => n.Ipv4).ToList();
        var hostAddresses = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToList();
        for (UInt128 offset = 0; offset < range.Size; offset += 256)
        {
            IpSubnet.TryParse($"{range.At(offset)}/24", out var block, out _);
            if (!taken.Any(t => t.Overlaps(block!)) && !hostAddresses.Any(block!.Contains))
            {
                return block;
            }
        }

        throw DomainError.Conflict("Member range full", $"every /24 of {range} (berthd --member-subnets) is taken; ask an admin for a larger range, or delete a network you no longer use.");
    }

    private async Task RefuseOverlapsAsync(NetworkRecord record, CancellationToken cancellationToken)
    {
        foreach (var other in await networks.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (other.Ipv4.Overlaps(record.Ipv4) || other.Ipv6 is { } o6 && record.Ipv6 is { } r6 && o6.Overlaps(r6))
            {
                throw DomainError.Conflict("Subnet overlaps", $"{record.Subnet}{(record.Subnet6 is null ? "" : " / " + record.Subnet6)} overlaps network '{other.Name}' ({other.Subnet}{(other.Subnet6 is null ? "" : " / " + other.Subnet6)}); choose another range.");
            }
        }

        // A range already on one of the host's interfaces would make two routes for one subnet.
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var address in nic.GetIPProperties().UnicastAddresses)
            {
                if (record.Ipv4.Contains(address.Address) || record.Ipv6?.Contains(address.Address) == true)
                {
                    throw DomainError.Conflict("Subnet overlaps", $"{address.Address} on the host's interface '{nic.Name}' is inside {record.Subnet}{(record.Subnet6 is null ? "" : " / " + record.Subnet6)}; choose another range.");
                }
            }
        }
    }

    private static NetworkInfo Describe(NetworkRecord network, IReadOnlyList<IpLease> leases) => new()
    {
        Name = network.Name,
        Status = network.Status,
        Subnet = network.Subnet,
        Gateway = network.Ipv4.Gateway.ToString(),
        Ipv6 = network.Subnet6,
        Gateway6 = network.Ipv6?.Gateway.ToString(),
        Nat = network.Nat,
        Isolated = network.Isolated,
        Mode = network.Mode,
        Leases = leases.Where(l => l.Network == network.Name).ToDictionary(l => l.Container, l => l.Address, StringComparer.Ordinal),
        CreatedAt = network.CreatedAt,
        Owner = network.Owner,
    };
}
