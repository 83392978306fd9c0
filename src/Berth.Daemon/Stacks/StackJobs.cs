using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Stacks;

/// <summary>Runs stack.up, stack.down and stack.restart; one job per stack at a time (the target is stack:NAME).</summary>
public sealed class StackJobs(IServiceProvider services, StackUploads uploads) : IJobHandler
{
    // Resolved on first use: the applier drives the services that submit jobs, so it needs the JobQueue that needs this handler.
    private StackApplier Applier => services.GetRequiredService<StackApplier>();

    public const string Up = "stack.up";
    public const string Down = "stack.down";
    public const string Restart = "stack.restart";

    public IReadOnlyCollection<string> Kinds { get; } = [Up, Down, Restart];

    public static string Target(string stack) => $"stack:{stack}";

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Job.Kind)
        {
            case Up:
                var upload = uploads.Take(context.Job.Id) ?? throw DomainError.Conflict("Stack upload lost", "berthd restarted before this up ran; run berth up again.");
                return Applier.UpAsync(context.Args<StackUpArgs>(), upload, context, context.CancellationToken);
            case Down:
                return Applier.DownAsync(context.Args<StackDownArgs>(), context, context.CancellationToken);
            default:
                return Applier.RestartAsync(context.Args<StackDownArgs>(), context, context.CancellationToken);
        }
    }

    // Each step was its own job and recovers as one; the stack's row still holds the last applied state, so a new up finishes the work.
    public Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken) =>
        Task.FromResult(new JobRecovery(false, "run berth up again to finish what it started"));
}
