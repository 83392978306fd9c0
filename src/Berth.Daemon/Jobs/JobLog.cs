namespace Berth.Daemon.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Undoing '{Step}' failed")]
    public static partial void UndoFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} {Kind} {Target} started")]
    public static partial void Started(ILogger logger, string id, string kind, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} {Kind} {Target} succeeded")]
    public static partial void Succeeded(ILogger logger, string id, string kind, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} {Kind} {Target} failed: {Error}")]
    public static partial void Failed(ILogger logger, string id, string kind, string target, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id} {Kind} {Target} failed unexpectedly")]
    public static partial void Crashed(ILogger logger, string id, string kind, string target, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} {Kind} {Target} was interrupted by a restart: {Outcome}")]
    public static partial void Recovered(ILogger logger, string id, string kind, string target, string outcome);
}
