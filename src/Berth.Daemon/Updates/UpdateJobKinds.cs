namespace Berth.Daemon.Updates;

/// <summary>The updates feature's job kinds.</summary>
public static class UpdateJobKinds
{
    public const string Run = "update.run";
}
