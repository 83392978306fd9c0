using System.CommandLine;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth jobs [--limit N]</c> and <c>berth job show ID [--wait]</c>.</summary>
internal static class JobCommands
{
    private const int ShortId = 8;

    // How far back a short id is looked for.
    private const int PrefixSearchLimit = 500;

    public static IEnumerable<Command> Create()
    {
        yield return CreateList();
        yield return new Command("job", "Show one job") { CreateShow() };
    }

    private static Command CreateList()
    {
        var limit = new Option<int?>("--limit", "-n") { Description = "How many of the newest jobs to list", HelpName = "N" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("jobs", "List recent jobs, newest first") { limit, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            if (context.Get(limit) is < 1)
            {
                throw new CliException("invalid --limit: expected 1 or more");
            }

            var jobs = await context.Client.ListJobsAsync(context.Get(limit), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, jobs);
                return 0;
            }

            var table = new TablePrinter("ID", "KIND", "TARGET", "STATUS", "DURATION", "ERROR");
            foreach (var job in jobs)
            {
                table.AddRow(Shorten(job.Id), job.Kind, job.Target, EnumText.Format(job.Status), Duration(job), job.Error is null ? null : CliErrors.OneLine(job.Error));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "Job id, or the first characters of it as 'berth jobs' shows" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait for the job to end, showing its progress" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("show", "Show a job") { id, wait, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await FindAsync(context, context.Get(id)).ConfigureAwait(false);
            if (context.Get(wait))
            {
                job = await context.Client.WaitForJobAsync(job, new JobProgressPrinter(context.Error), context.CancellationToken).ConfigureAwait(false);
            }

            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, job);
            }
            else
            {
                new FieldList()
                    .Add("ID", job.Id)
                    .Add("Kind", job.Kind)
                    .Add("Target", job.Target)
                    .Add("Status", EnumText.Format(job.Status))
                    .Add("Progress", job.Progress)
                    .Add("Error", job.Error is null ? null : CliErrors.OneLine(job.Error))
                    .Add("Created", HumanTime.Format(job.CreatedAt))
                    .Add("Started", HumanTime.Format(job.StartedAt))
                    .Add("Finished", HumanTime.Format(job.FinishedAt))
                    .Add("Duration", Duration(job))
                    .WriteTo(context.Out);
            }

            // A script waiting on a job wants to know whether it worked.
            return context.Get(wait) && job.Status == JobStatus.Failed ? CliErrors.Failure : 0;
        }));
        return command;
    }

    /// <summary>Finds a job by full id, or by a unique prefix among recent jobs.</summary>
    private static async Task<JobInfo> FindAsync(CommandContext context, string id)
    {
        try
        {
            return await context.Client.GetJobAsync(id, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        }
        catch (BerthApiException e) when (e.Status is 404 or 400)
        {
            var recent = await context.Client.ListJobsAsync(PrefixSearchLimit, context.CancellationToken).ConfigureAwait(false);
            var matches = recent.Where(job => job.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
            if (matches.Count == 0)
            {
                throw;
            }

            return matches.Count == 1 ? matches[0] : throw new CliException($"job id '{id}' is ambiguous: give more characters");
        }
    }

    private static string Shorten(string id) => id.Length > ShortId ? id[..ShortId] : id;

    private static string Duration(JobInfo job)
    {
        if (job.DurationSeconds is { } seconds)
        {
            return HumanDuration.Format(seconds);
        }

        return job.StartedAt is { } started ? HumanDuration.Format(TimeProvider.System.GetUtcNow() - started) : "-";
    }
}
