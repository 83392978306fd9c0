namespace Berth.Daemon.Networking;

/// <summary>The network job kinds, as they appear in the API and in 'berth jobs'.</summary>
public static class NetworkJobKinds
{
    public const string Create = "network.create";
    public const string Delete = "network.delete";
    public const string ForwardAdd = "forward.add";
    public const string ForwardRemove = "forward.remove";
}
