namespace Berth.Daemon.Networking;

/// <summary>A network row's life: created by a job, ready, deleted by a job.</summary>
public static class NetworkStatus
{
    public const string Creating = "creating";
    public const string Ready = "ready";
    public const string Deleting = "deleting";
}
