using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth forward add|list|remove</c>.</summary>
internal static class ForwardCommands
{
    public static Command Create() => new("forward", "Forward host ports to a container") { CreateAdd(), CreateList(), CreateRemove() };

    private static Command CreateAdd()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var ports = new Argument<string>("ports") { Description = "HOST:CONTAINER/PROTOCOL, e.g. 8080:80/tcp or 8000-8010:8000-8010/udp" };
        var listen = new Option<string>("--listen") { Description = "Only forward traffic sent to this host address", HelpName = "ADDR" };
        var force = new Option<bool>("--force") { Description = "Forward a port the host's own services use by convention (22, 53, ...)" };
        var command = new Command("add", "Forward a host port (or range) to a container") { name, ports, listen, force };
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.AddForwardAsync(context.Get(name), new ForwardRequest { Ports = context.Get(ports), ListenAddress = context.Get(listen), Force = context.Get(force) }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Forwarding {context.Get(ports)} to {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List a container's port forwards") { name, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var forwards = await context.Client.ListForwardsAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, forwards);
                return 0;
            }

            var table = new TablePrinter("PROTOCOL", "LISTEN", "HOST PORT", "TARGET", "TARGET IPV6", "CONTAINER PORT", "SSH");
            foreach (var f in forwards)
            {
                table.AddRow(f.Protocol, f.ListenAddress ?? "*", Ports(f.HostPort, f.HostPortEnd), f.TargetAddress ?? "-", f.TargetAddress6 ?? "-", Ports(f.ContainerPort, f.ContainerPortEnd), f.Ssh ? "yes" : "no");
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var port = new Argument<string>("port") { Description = "HOST_PORT/PROTOCOL, e.g. 8080/tcp (the first port of a range)" };
        var command = new Command("remove", "Remove a port forward") { name, port };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var parts = context.Get(port)!.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort))
            {
                throw new CliException($"'{context.Get(port)}' is not HOST_PORT/PROTOCOL such as 8080/tcp");
            }

            var job = await context.Client.RemoveForwardAsync(context.Get(name), parts[1], hostPort, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Removed {context.Get(port)} from {context.Get(name)}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static string Ports(int start, int end) => start == end
        ? start.ToString(CultureInfo.InvariantCulture)
        : $"{start.ToString(CultureInfo.InvariantCulture)}-{end.ToString(CultureInfo.InvariantCulture)}";
}
