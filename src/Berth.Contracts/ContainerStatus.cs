namespace Berth.Contracts;

/// <summary>What a container is doing, as Berth last saw it.</summary>
public enum ContainerStatus
{
    /// <summary>Being created by a launch job; not usable yet.</summary>
    Creating,
    Stopped,
    Starting,
    Running,
    Stopping,
    Frozen,
    /// <summary>Known to the store but gone from LXC (deleted by hand); reported, never resurrected.</summary>
    Missing,
    /// <summary>Being deleted by a job.</summary>
    Deleting,
    Unknown,
    /// <summary>LXC cannot load its configuration (ContainerInfo.Error says why); it can still be deleted with force.</summary>
    Error,
}
