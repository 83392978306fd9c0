using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Storage;

/// <summary>berth.json, the first member of a container archive: what the container is, so another host can recreate it.</summary>
public sealed record ArchiveManifest
{
    public const string Kind = "berth-container";
    /// <summary>2: symbolic link targets are stored as they are (version 1 renamed those starting with ".").</summary>
    public const int CurrentVersion = 2;

    public string Format { get; init; } = Kind;
    public int Version { get; init; } = CurrentVersion;
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required bool Privileged { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExportedAt { get; init; }
    public required string Architecture { get; init; }
    /// <summary>The distribution's LXC include files (e.g. debian), so a host that does not know the image renders it the same.</summary>
    public string? LxcProfile { get; init; }
    /// <summary>The signal that halts its init (e.g. SIGUSR1 for busybox).</summary>
    public string? HaltSignal { get; init; }
    /// <summary>Snapshots included under snapshots/NAME/, oldest first.</summary>
    public IReadOnlyList<ArchivedSnapshot> Snapshots { get; init; } = [];
    /// <summary>Its interfaces on managed networks, eth0 first; empty for none, null in archives written before it was recorded.</summary>
    public IReadOnlyList<ArchivedNic>? Nics { get; init; }

    /// <summary>A container has at most this many interfaces (as at launch).</summary>
    public const int MaxNics = 8;

    /// <summary>True when it describes a privileged container (either way of saying so).</summary>
    public bool AsksForPrivilege =>
        Privileged || (Config?.TryGetValue(ContainerConfig.SecurityPrivileged, out var value) == true && value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>What is wrong with each field an archive from elsewhere may have set (its config is checked where it is applied).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Version < 1)
        {
            problems.Add($"version {Version} is not a format version");
        }

        if (!ContainerName.IsValid(Name))
        {
            problems.Add($"name '{ControlCharacters.Visible(Name)}' is not a container name");
        }

        if (!Images.ImageRegistry.IsValidAlias(Image))
        {
            problems.Add($"image '{ControlCharacters.Visible(Image)}' is not an image alias");
        }

        if (Architecture is null || Architecture.Length is 0 or > 32 || !Architecture.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            problems.Add($"architecture '{ControlCharacters.Visible(Architecture)}' is not an architecture name");
        }

        if (LxcProfile is not null && Containers.LxcProfile.Problem(LxcProfile) is { } profile)
        {
            problems.Add($"lxcProfile '{ControlCharacters.Visible(LxcProfile)}': {profile}");
        }

        if (HaltSignal is not null && Containers.HaltSignal.Problem(HaltSignal) is { } signal)
        {
            problems.Add($"haltSignal '{ControlCharacters.Visible(HaltSignal)}': {signal}");
        }

        if (Config is null)
        {
            problems.Add("config is missing");
        }

        foreach (var snapshot in Snapshots ?? [])
        {
            if (snapshot is null || !ContainerName.IsValid(snapshot.Name))
            {
                problems.Add($"snapshot '{ControlCharacters.Visible(snapshot?.Name)}' is not a snapshot name");
            }
        }

        if ((Snapshots ?? []).Where(s => s is not null).GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"snapshot '{twice.Key}' is listed twice");
        }

        problems.AddRange(NicProblems());
        return problems;
    }

    private IEnumerable<string> NicProblems()
    {
        if (Nics is null)
        {
            yield break;
        }

        if (Nics.Count > MaxNics)
        {
            yield return $"nics lists {Nics.Count} interfaces; a container has at most {MaxNics}";
        }

        foreach (var nic in Nics)
        {
            if (nic is null || !Networking.NetworkName.IsValid(nic.Network))
            {
                yield return $"nics: '{ControlCharacters.Visible(nic?.Network)}' is not a network name";
                continue;
            }

            if (nic.Ipv4 is not null && !(System.Net.IPAddress.TryParse(nic.Ipv4, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && v4.ToString() == nic.Ipv4))
            {
                yield return $"nics: ipv4 '{ControlCharacters.Visible(nic.Ipv4)}' of network '{nic.Network}' is not an IPv4 address";
            }

            if (nic.Ipv6 is not null && !(System.Net.IPAddress.TryParse(nic.Ipv6, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
            {
                yield return $"nics: ipv6 '{ControlCharacters.Visible(nic.Ipv6)}' of network '{nic.Network}' is not an IPv6 address";
            }
        }

        if (Nics.Where(n => n is not null).GroupBy(n => n.Network, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return $"nics: network '{twice.Key}' is listed twice; a container has one interface per network";
        }
    }
}
