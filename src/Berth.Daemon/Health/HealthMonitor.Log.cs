namespace Berth.Daemon.Health;

public sealed partial class HealthMonitor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Container {Name} is healthy")]
    private static partial void LogHealthy(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name} is unhealthy: health.command failed {Failures} times in a row")]
    private static partial void LogUnhealthy(ILogger logger, string name, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name}: its init ended without Berth stopping it")]
    private static partial void LogExited(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Container {Name} restarted ({Reason}; restart {Streak} in a row)")]
    private static partial void LogRestarted(ILogger logger, string name, string reason, int streak);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name} could not be restarted: {Error}")]
    private static partial void LogRestartFailed(ILogger logger, string name, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name}: restart policy gave up after {Streak} restarts in a row")]
    private static partial void LogGaveUp(ILogger logger, string name, int streak);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container {Name}: its health state could not be written: {Error}")]
    private static partial void LogSaveFailed(ILogger logger, string name, string error);
}
