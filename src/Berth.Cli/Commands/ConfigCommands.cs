using System.CommandLine;
using Berth.Cli.Input;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth config set|unset|show|get</c>.</summary>
internal static class ConfigCommands
{
    public static Command Create() => new("config", "Show and change a container's configuration")
    {
        CreateSet(),
        CreateUnset(),
        CreateShow(),
        CreateGet(),
    };

    private static Command CreateSet()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var pairs = new Argument<string[]>("settings") { Description = "Keys to set", Arity = ArgumentArity.OneOrMore, HelpName = "KEY=VALUE" };
        var command = new Command("set", "Set config keys") { name, pairs };
        command.SetAction(CommandAction.Run(async context =>
        {
            var set = KeyValueArguments.ParseMap(context.Get(pairs), "config");
            return await UpdateAsync(context, context.Get(name), new ConfigUpdateRequest { Set = set }).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CreateUnset()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var keys = new Argument<string[]>("keys") { Description = "Keys to reset to their default", Arity = ArgumentArity.OneOrMore, HelpName = "KEY" };
        var command = new Command("unset", "Reset config keys to their default") { name, keys };
        command.SetAction(CommandAction.Run(async context =>
        {
            var unset = KeyValueArguments.ParseKeys(context.Get(keys), "config");
            return await UpdateAsync(context, context.Get(name), new ConfigUpdateRequest { Unset = unset }).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var command = new Command("show", "Show every config key's effective value and the LXC configuration") { name };
        command.SetAction(CommandAction.Run(async context =>
        {
            var config = await context.Client.GetConfigAsync(context.Get(name), context.CancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in config.Effective.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync($"{key}: {value}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync().ConfigureAwait(false);
            await context.Out.WriteLineAsync("LXC configuration:").ConfigureAwait(false);
            await context.Out.WriteLineAsync(config.LxcConfig.TrimEnd()).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateGet()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var key = new Argument<string>("key") { Description = "Config key, e.g. limits.memory" };
        var command = new Command("get", "Print one config key's effective value") { name, key };
        command.SetAction(CommandAction.Run(async context =>
        {
            string containerName = context.Get(name);
            string wanted = context.Get(key);
            var config = await context.Client.GetConfigAsync(containerName, context.CancellationToken).ConfigureAwait(false);
            string value = config.Effective.TryGetValue(wanted, out var effective) ? effective
                : config.Config.TryGetValue(wanted, out var set) ? set
                : throw new CliException($"{containerName} has no config key '{wanted}'");
            await context.Out.WriteLineAsync(value).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static async Task<int> UpdateAsync(CommandContext context, string name, ConfigUpdateRequest request)
    {
        var job = await context.Client.UpdateConfigAsync(name, request, context.CancellationToken).ConfigureAwait(false);
        await context.WaitForJobAsync(job).ConfigureAwait(false);
        return 0;
    }
}
