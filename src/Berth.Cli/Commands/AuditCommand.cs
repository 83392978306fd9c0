using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth audit [--user U] [--since 1d] [--limit N] [--format json]</c>: who changed what, newest first.</summary>
internal static class AuditCommand
{
    private const int ShortId = 8;

    public static Command Create()
    {
        var user = new Option<string?>("--user", "-u") { Description = "Only this user's requests (root: the Unix socket and the admin token)", HelpName = "USER" };
        var since = new Option<string?>("--since") { Description = "Only requests since then: a period back from now (30m, 12h, 1d, 2w) or a time (2026-12-01T00:00:00Z)", HelpName = "WHEN" };
        var limit = new Option<int?>("--limit", "-n") { Description = "How many of the newest records to show (default 100)", HelpName = "N" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("audit", "Show the audit log of changes and exec sessions (admins only)") { user, since, limit, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            if (context.Get(limit) is < 1)
            {
                throw new CliException("invalid --limit: expected 1 or more");
            }

            var entries = await context.Client.ListAuditAsync(context.Get(user), context.Get(since), context.Get(limit), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, entries);
                return 0;
            }

            var table = new TablePrinter("TIME", "USER", "TOKEN", "ADDRESS", "ACTION", "TARGET", "RESULT", "JOB");
            foreach (var e in entries)
            {
                var result = e.Status.ToString(CultureInfo.InvariantCulture) + (e.Status >= 400 && e.Detail is { } why ? " " + why : "");
                table.AddRow(HumanTime.Format(e.At), e.User ?? "-", e.Token ?? "-", e.Address ?? "-", e.Action, e.Target ?? "-", result, e.JobId is { } job ? Shorten(job) : "-");
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static string Shorten(string id) => id.Length > ShortId ? id[..ShortId] : id;
}
