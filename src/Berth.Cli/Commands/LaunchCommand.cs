using System.CommandLine;
using Berth.Cli.Input;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth launch IMAGE NAME [-c key=value]... [--no-start] [--network NET [--ip ADDR]]... [--storage POOL]</c>.</summary>
internal static class LaunchCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Image alias, e.g. busybox or debian/12" };
        var name = new Argument<string>("name") { Description = "Name of the new container" };
        var config = new Option<string[]>("--config", "-c") { Description = "Set a config key (repeatable)", HelpName = "KEY=VALUE" };
        var noStart = new Option<bool>("--no-start") { Description = "Create the container but do not start it" };
        var network = new Option<string[]>("--network", "-n") { Description = "Managed network to attach to, repeatable: one interface each, the first has the default route (default: the daemon's default network; 'none' for no network)", HelpName = "NET" };
        var ip = new Option<string[]>("--ip") { Description = "Static IPv4 address from the network's subnet, repeatable: the Nth --ip is for the Nth --network (default: the lowest free one)", HelpName = "ADDR" };
        var storage = new Option<string>("--storage", "-s") { Description = "Storage pool (default: default)", HelpName = "POOL" };
        var owner = new Option<string>("--owner") { Description = "The user to launch it for (admins only; default: you)", HelpName = "USER" };
        var command = new Command("launch", "Create a container from an image and start it") { image, name, config, noStart, network, ip, storage, owner };
        command.SetAction(CommandAction.Run(async context =>
        {
            string containerName = context.Get(name);
            var settings = KeyValueArguments.ParseMap(context.Get(config) ?? [], "config");
            bool start = !context.Get(noStart);
            string[] networks = context.Get(network) ?? [];
            string[] ips = context.Get(ip) ?? [];
            if (ips.Length > Math.Max(networks.Length, 1))
            {
                throw new CliException($"{ips.Length} --ip for {networks.Length} --network: give one --network per --ip, in the same order");
            }

            var request = new LaunchRequest
            {
                Name = containerName,
                Image = context.Get(image),
                Config = settings.Count > 0 ? settings : null,
                Start = start,
                Network = networks.Length > 1 ? null : networks.FirstOrDefault(),
                Ip = networks.Length > 1 ? null : ips.FirstOrDefault(),
                Networks = networks.Length > 1 ? [.. networks.Select((n, i) => new NetworkAttachment { Name = n, Ip = i < ips.Length ? ips[i] : null })] : null,
                Storage = context.Get(storage),
                Owner = context.Get(owner),
            };
            var job = await context.Client.LaunchAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync(start ? $"Launched {containerName}" : $"Created {containerName}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
