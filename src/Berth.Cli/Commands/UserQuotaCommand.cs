using System.CommandLine;
using System.Globalization;
using Berth.Cli.Input;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth user quota NAME [KEY=VALUE...] [--unset KEY]</c>: shows or changes a user's quota.</summary>
internal static class UserQuotaCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "User name" };
        var pairs = new Argument<string[]>("limits")
        {
            Description = "Limits to set: containers, memory, cpu, disk, processes, forwards, ssh, snapshots, networks (KEY= removes one); none shows the quota",
            Arity = ArgumentArity.ZeroOrMore,
            HelpName = "KEY=VALUE",
        };
        var unset = new Option<string[]>("--unset") { Description = "Remove a limit (no limit: unlimited)", AllowMultipleArgumentsPerToken = true, HelpName = "KEY" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("quota", "Show or set a user's quota (setting it: admins only)") { name, pairs, unset, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var set = KeyValueArguments.ParseMap(context.Get(pairs) ?? [], "quota");
            var removed = KeyValueArguments.ParseKeys(context.Get(unset) ?? [], "quota");
            var quota = set.Count == 0 && removed.Count == 0
                ? await context.Client.GetQuotaAsync(context.Get(name)!, context.CancellationToken).ConfigureAwait(false)
                : await context.Client.UpdateQuotaAsync(context.Get(name)!, new QuotaUpdateRequest { Set = set, Unset = removed }, context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, quota);
                return 0;
            }

            await WriteAsync(context.Out, quota).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>One line per resource: what is used against the limit (also under <c>berth user show</c>).</summary>
    public static async Task WriteAsync(TextWriter output, QuotaInfo quota)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(quota);
        await output.WriteLineAsync("Quota:").ConfigureAwait(false);
        foreach (var item in quota.Items)
        {
            var used = item.Used is { } u ? Amount(item, u) : $"unbounded ({item.UnboundedBy} sets no limit)";
            var limit = item.Limit is { } l ? Amount(item, l) : "unlimited";
            await output.WriteLineAsync($"  {item.Resource + ":",-11} {used} of {limit}").ConfigureAwait(false);
        }
    }

    private static string Amount(QuotaItem item, long amount) =>
        item.Unit == "bytes" ? HumanSize.Format(amount) : amount.ToString(CultureInfo.InvariantCulture);
}
