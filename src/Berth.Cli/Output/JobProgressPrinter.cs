using Berth.Contracts;

namespace Berth.Cli.Output;

/// <summary>Prints a job's progress message to stderr each time it changes; synchronous, so lines stay in order.</summary>
internal sealed class JobProgressPrinter : IProgress<JobInfo>
{
    private readonly TextWriter error;
    private string? last;

    public JobProgressPrinter(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        this.error = error;
    }

    public void Report(JobInfo value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrEmpty(value.Progress) || value.Progress == last)
        {
            return;
        }

        last = value.Progress;
        error.WriteLine(value.Progress);
    }
}
