using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth network create|list|show|delete</c>.</summary>
internal static class NetworkCommands
{
    public static Command Create() => new("network", "Manage networks (bridges with static addresses, NAT, isolation)")
    {
        CreateCreate(), CreateList(), CreateShow(), CreateDelete(),
    };

    private static Command CreateCreate()
    {
        var name = new Argument<string>("name") { Description = "Network name (also the bridge's name, at most 15 characters)" };
        var subnet = new Option<string>("--subnet") { Description = "IPv4 subnet, e.g. 10.20.0.0/24 (a member may leave it out where berthd has --member-subnets: a free /24 of that range)", HelpName = "CIDR" };
        var ipv6 = new Option<string>("--ipv6") { Description = "IPv6 prefix, e.g. fd42:20::/64", HelpName = "CIDR" };
        var nat = new Option<bool>("--nat") { Description = "Masquerade outbound traffic" };
        var isolated = new Option<bool>("--isolated") { Description = "Containers reach the gateway and the outside, not each other" };
        var @internal = new Option<bool>("--internal") { Description = "Nothing leaves the bridge: containers reach the gateway (DNS) and each other only" };
        var command = new Command("create", "Create a network") { name, subnet, ipv6, nat, isolated, @internal };
        command.SetAction(CommandAction.Run(async context =>
        {
            var request = new NetworkCreateRequest
            {
                Name = context.Get(name),
                Subnet = context.Get(subnet),
                Ipv6 = context.Get(ipv6),
                Nat = context.Get(nat),
                Isolated = context.Get(isolated),
                Internal = context.Get(@internal),
            };
            var job = await context.Client.CreateNetworkAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Created network {request.Name}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List networks") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var networks = await context.Client.ListNetworksAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, networks);
                return 0;
            }

            var table = new TablePrinter("NAME", "STATUS", "SUBNET", "GATEWAY", "IPV6", "MODE", "ISOLATED", "CONTAINERS");
            foreach (var n in networks)
            {
                table.AddRow(n.Name, n.Status, n.Subnet, n.Gateway, n.Ipv6 ?? "-", n.Mode, n.Isolated ? "yes" : "no", n.Leases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("name") { Description = "Network name" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("show", "Show a network and the addresses it has handed out") { name, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var n = await context.Client.GetNetworkAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, n);
                return 0;
            }

            new FieldList()
                .Add("Name", n.Name)
                .Add("Status", n.Status)
                .Add("Subnet", n.Subnet)
                .Add("Gateway", n.Gateway)
                .Add("IPv6", n.Ipv6 is null ? null : $"{n.Ipv6} (gateway {n.Gateway6})")
                .Add("Mode", n.Mode)
                .Add("Isolated", n.Isolated ? "yes" : "no")
                .Add("Owner", n.Owner ?? "shared")
                .Add("Created", HumanTime.Format(n.CreatedAt))
                .WriteTo(context.Out);
            foreach (var (container, address) in n.Leases.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync($"  {container}: {address}").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("name") { Description = "Network name" };
        var command = new Command("delete", "Delete a network no container uses") { name };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.DeleteNetworkAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Deleted network {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
