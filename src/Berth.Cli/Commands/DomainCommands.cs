using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth domain ban|bans|unban</c>.</summary>
internal static class DomainCommands
{
    public static Command Create() => new("domain", "Domain policy: names no route may use") { CreateBan(), CreateBans(), CreateUnban() };

    private static Command CreateBan()
    {
        var pattern = new Argument<string>("pattern") { Description = "example.org (that name) or *.example.org (every name below it)" };
        var command = new Command("ban", "Ban a domain, or every name below one") { pattern };
        command.SetAction(CommandAction.Run(async context =>
        {
            var ban = await context.Client.BanDomainAsync(context.Get(pattern)!, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Banned {ban.PatternUnicode}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateBans()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("bans", "List banned domains") { format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var bans = await context.Client.ListDomainBansAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, bans);
                return 0;
            }

            var table = new TablePrinter("PATTERN", "SINCE");
            foreach (var b in bans)
            {
                table.AddRow(b.PatternUnicode == b.Pattern ? b.Pattern : $"{b.PatternUnicode} ({b.Pattern})", b.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateUnban()
    {
        var pattern = new Argument<string>("pattern") { Description = "A pattern as 'berth domain bans' lists it" };
        var command = new Command("unban", "Lift a ban") { pattern };
        command.SetAction(CommandAction.Run(async context =>
        {
            var ban = await context.Client.UnbanDomainAsync(context.Get(pattern)!, context.CancellationToken).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Unbanned {ban.PatternUnicode}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
