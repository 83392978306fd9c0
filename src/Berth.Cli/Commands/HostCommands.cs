using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth host apply|show</c>: the host's bridges, addresses, forwarding and NAT from a file (docs/host-network.md).</summary>
internal static class HostCommands
{
    public static Command Create() => new("host", "The host's network as code: bridges, their addresses, NAT and routed IPv6")
    {
        CreateApply(), CreateShow(),
    };

    private static Command CreateApply()
    {
        var file = new Argument<string>("file") { Description = "The host network file (YAML with bridges:), e.g. host.yml" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the plan without changing anything" };
        var force = new Option<bool>("--force") { Description = "Enslave an interface even when it carries the host's default route" };
        var command = new Command("apply", "Show the plan for the host network file, then apply it") { file, dryRun, force };
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = context.Get(file);
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read {path}: {ex.Message}");
            }

            var plan = await context.Client.ApplyHostNetworkAsync(new HostApplyRequest { File = text, DryRun = context.Get(dryRun), Force = context.Get(force) }, context.CancellationToken).ConfigureAwait(false);
            if (plan.Changes.Count == 0)
            {
                await context.Out.WriteLineAsync("no change").ConfigureAwait(false);
                return 0;
            }

            foreach (var change in plan.Changes)
            {
                await context.Out.WriteLineAsync($"  {change}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(plan.Applied ? "Applied" : "Dry run: nothing was changed").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("show", "Show the bridges the host network file declared, as applied") { format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var host = await context.Client.GetHostNetworkAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, host);
                return 0;
            }

            var table = new TablePrinter("BRIDGE", "INTERFACES", "IPV4", "IPV6", "NAT", "NETWORK", "PRESENT");
            foreach (var b in host.Bridges)
            {
                table.AddRow(b.Name, b.Interfaces.Count == 0 ? "-" : string.Join(",", b.Interfaces), b.Ipv4 ?? "-", b.Ipv6 ?? "-", b.Nat ? "yes" : "no", b.Network ? "yes" : "no", b.Present ? "yes" : "no");
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }
}
