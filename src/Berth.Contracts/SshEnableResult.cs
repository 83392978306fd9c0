namespace Berth.Contracts;

/// <summary>Answer of <c>POST /api/v1/containers/{name}/ssh</c> when a port was allocated: the port and the job applying it.</summary>
public sealed record SshEnableResult
{
    public required SshInfo Ssh { get; init; }
    /// <summary>The job applying the new forward; null when the container already had its port.</summary>
    public JobInfo? Job { get; init; }
}
