namespace Berth.Daemon.Store;

/// <summary>A container as the store holds it: its desired configuration, not its live state.</summary>
public sealed record ContainerRecord
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    /// <summary>See <see cref="ContainerRecordStatus"/>.</summary>
    public required string Status { get; init; }
    public required bool Privileged { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The user who owns it; null: root does (only admins see it).</summary>
    public string? Owner { get; init; }
    /// <summary>The job that is creating or deleting it.</summary>
    public string? JobId { get; init; }
    /// <summary>The distribution's LXC include files (e.g. debian), kept from its image so it renders the same if the image goes.</summary>
    public string? LxcProfile { get; init; }
    /// <summary>The signal that halts its init, kept from its image.</summary>
    public string? HaltSignal { get; init; }
    /// <summary>Its interface on a managed network, when it has one (read from its lease).</summary>
    public Networking.ContainerNic? Nic { get; init; }
    /// <summary>All its interfaces, by index; the first is <see cref="Nic"/>, which carries the default route.</summary>
    public IReadOnlyList<Networking.ContainerNic> Nics
    {
        get => _nics ?? (Nic is null ? [] : [Nic]);
        init => _nics = value;
    }

    private readonly IReadOnlyList<Networking.ContainerNic>? _nics;
}
