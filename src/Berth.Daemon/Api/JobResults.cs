using Berth.Contracts;
using Berth.Daemon.Store;

namespace Berth.Daemon.Api;

/// <summary>The answer to every mutating call: 202 with the job and its URL.</summary>
public static class JobResults
{
    public static IResult Accepted(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var info = job.ToInfo();
        return TypedResults.Accepted(info.Url, info);
    }
}
