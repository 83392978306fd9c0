using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Store;

namespace Berth.Daemon.Events;

/// <summary>Which events a caller may see: admins all; a member those of jobs they asked for and of containers they own.</summary>
public sealed class EventVisibility(JobStore jobs, ContainerStore containers)
{
    public async ValueTask<bool> MaySeeAsync(Caller caller, BerthEvent evt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(evt);
        if (caller.IsAdmin)
        {
            return true;
        }

        if (evt.JobId is { } jobId && await jobs.GetAsync(jobId, cancellationToken).ConfigureAwait(false) is { } job)
        {
            return string.Equals(job.RequestedBy, caller.Name, StringComparison.Ordinal);
        }

        // Owned now: a container given away stops showing up in its old owner's stream.
        return await containers.FindOwnerAsync(evt.Target, cancellationToken).ConfigureAwait(false) is { } found && found.Permits(caller);
    }
}
