using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>Adds and removes root's SSH keys in a container's files.</summary>
public sealed class SshKeyJobs(AuthorizedKeys keys, EventBroker events) : IJobHandler
{
    public const string Add = "ssh-key.add";
    public const string Remove = "ssh-key.remove";

    public IReadOnlyCollection<string> Kinds { get; } = [Add, Remove];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<SshKeyArgs>();
        if (context.Job.Kind == Add)
        {
            SshPublicKey.TryParse(args.Line, out var key, out var error);
            await keys.AddAsync(args.Container, key ?? throw DomainError.Invalid("Invalid SSH key", error), context.CancellationToken).ConfigureAwait(false);
            events.Lifecycle("container.ssh-key-added", args.Container, context.Job.Id, AuthorizedKeys.Fingerprint(key));
        }
        else if (!await keys.RemoveAsync(args.Container, args.Remove ?? "", context.CancellationToken).ConfigureAwait(false))
        {
            throw DomainError.NotFound("Key not found", $"'{args.Container}' has no key with fingerprint or comment '{args.Remove}'.");
        }
        else
        {
            events.Lifecycle("container.ssh-key-removed", args.Container, context.Job.Id, args.Remove);
        }
    }

    // Writing the whole file through a rename is all-or-nothing; running the job again is the user's call.
    public Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(new JobRecovery(false, "interrupted; GET /api/v1/containers/NAME/ssh-keys shows the keys in effect"));
}
