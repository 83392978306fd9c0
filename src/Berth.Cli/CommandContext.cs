using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Cli;

/// <summary>What one command invocation works with: its parsed values, its writers, its client and its cancellation.</summary>
internal sealed class CommandContext : IDisposable
{
    private BerthClient? client;

    public CommandContext(ParseResult parseResult, CancellationToken cancellationToken)
    {
        ParseResult = parseResult;
        CancellationToken = cancellationToken;
    }

    public ParseResult ParseResult { get; }
    public CancellationToken CancellationToken { get; }
    public TextWriter Out => ParseResult.InvocationConfiguration.Output;
    public TextWriter Error => ParseResult.InvocationConfiguration.Error;

    /// <summary>Created on first use, so commands that fail on their input never connect.</summary>
    public BerthClient Client => client ??= Remotes.RemoteSelection.CreateClient(ParseResult.GetValue<string>(BerthCommandLine.StateDirectoryOption), ParseResult.GetValue<string>(BerthCommandLine.RemoteOption));

    /// <summary>An argument's value; an optional one (arity zero or one) that was left out is default, not an error.</summary>
    public T Get<T>(Argument<T> argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.Arity.MinimumNumberOfValues == 0 ? ParseResult.GetValue(argument)! : ParseResult.GetRequiredValue(argument);
    }

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <summary>Waits for a job, showing its progress on stderr; a failed job becomes a <see cref="CliException"/>.</summary>
    public async Task<JobInfo> WaitForJobAsync(JobInfo job)
    {
        try
        {
            var finished = await Client.WaitForJobAsync(job, new JobProgressPrinter(Error), CancellationToken).ConfigureAwait(false);
            return finished.Status == JobStatus.Failed
                ? throw new CliException(finished.Error ?? $"{finished.Kind} on {finished.Target} failed")
                : finished;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync($"berth: stopped waiting; job {job.Id} goes on (berth job show {job.Id} --wait)").ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => client?.Dispose();
}
