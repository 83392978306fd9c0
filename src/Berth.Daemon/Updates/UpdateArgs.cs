namespace Berth.Daemon.Updates;

/// <summary>Arguments of an update.run job.</summary>
public sealed record UpdateArgs
{
    public required string Container { get; init; }
}
