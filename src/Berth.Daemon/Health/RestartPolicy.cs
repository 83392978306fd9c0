namespace Berth.Daemon.Health;

/// <summary>When Berth restarts a container by itself (restart.policy).</summary>
public enum RestartPolicy
{
    /// <summary>Never.</summary>
    No,
    /// <summary>When its init ends without Berth stopping it, or its health command fails; gives up after restart.max (default 10) restarts in a row.</summary>
    OnFailure,
    /// <summary>As on-failure, but without a limit unless restart.max is set.</summary>
    Always,
}
