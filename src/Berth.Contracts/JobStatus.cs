namespace Berth.Contracts;

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
