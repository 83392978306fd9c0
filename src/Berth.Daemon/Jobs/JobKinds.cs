namespace Berth.Daemon.Jobs;

/// <summary>The kinds of job; the name appears in the API and in 'berth jobs'.</summary>
public static class JobKinds
{
    public const string Launch = "container.launch";
    public const string Start = "container.start";
    public const string Stop = "container.stop";
    public const string Restart = "container.restart";
    public const string Freeze = "container.freeze";
    public const string Unfreeze = "container.unfreeze";
    public const string Delete = "container.delete";
    public const string Config = "container.config";
    public const string Rename = "container.rename";
    public const string NetworkChange = "container.network";
    public const string ImageBuild = "image.build";
    public const string HostAutostart = "host.autostart";
    public const string HostShutdown = "host.shutdown";
}
