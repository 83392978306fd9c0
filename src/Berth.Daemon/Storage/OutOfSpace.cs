using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// The one place that tells a full filesystem (ENOSPC, whichever tool or call met it) from other failures of a
/// storage step, and says so in words that name the pool and what to do.
/// </summary>
public static class OutOfSpace
{
    // strerror(ENOSPC): cp, tar, btrfs and .NET's IOException all quote it.
    private const string NoSpace = "No space left on device";

    /// <summary>Runs <paramref name="step"/>; if it fails because the pool's filesystem is full, throws one clear problem instead.</summary>
    /// <param name="doing">What was under way, for "ran out of space while ...", e.g. "creating 'web' from debian/12".</param>
    /// <param name="outcome">What is left after the undo, e.g. "the container is as it was".</param>
    public static async Task GuardAsync(StoragePool pool, string doing, Func<Task> step, string outcome = "nothing was created")
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsCause(ex))
        {
            throw Problem(pool, doing, outcome);
        }
    }

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) comes from a write to a full filesystem.</summary>
    public static bool IsCause(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is CommandFailedException failed && (failed.Result.Stderr.Contains(NoSpace, StringComparison.Ordinal) || failed.Result.Stdout.Contains(NoSpace, StringComparison.Ordinal)))
            {
                return true;
            }

            // Also a problem that quotes a tool's error (an archive that could not be unpacked, for one).
            if (ex.Message.Contains(NoSpace, StringComparison.Ordinal) || (ex is AggregateException all && all.InnerExceptions.Any(IsCause)))
            {
                return true;
            }
        }

        return false;
    }

    public static DomainError Problem(StoragePool pool, string doing, string outcome = "nothing was created")
    {
        ArgumentNullException.ThrowIfNull(pool);
        var size = pool.SizeBytes is { } bytes ? $" (this one holds {bytes / 1024 / 1024} MiB)" : "";
        return DomainError.OutOfSpace("Storage pool full",
            $"pool '{pool.Name}' ran out of space while {doing}; {outcome}. Use a larger pool{size} or free space in it.");
    }
}
