using Berth.Client;

namespace Berth.Cli.Remotes;

/// <summary>
/// Which berthd a command talks to: --state-dir, else --remote NAME, else $BERTH_REMOTE, else $BERTH_URL, else the
/// remote chosen with <c>berth remote use</c>, else the Unix socket of $BERTH_DIR or /var/lib/berth.
/// </summary>
internal static class RemoteSelection
{
    public const string EnvironmentVariable = "BERTH_REMOTE";

    public static BerthClient CreateClient(string? stateDirectory, string? remoteOption)
    {
        if (!string.IsNullOrEmpty(stateDirectory))
        {
            return remoteOption is { Length: > 0 } and not RemoteName.Local
                ? throw new CliException("--state-dir and --remote name two different daemons: give one")
                : new BerthClient(stateDirectory);
        }

        var named = remoteOption is { Length: > 0 } ? remoteOption : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (named is { Length: > 0 })
        {
            return named == RemoteName.Local ? Local() : ForRemote(named, RemoteConfigFile.Load());
        }

        if (Environment.GetEnvironmentVariable("BERTH_URL") is { Length: > 0 })
        {
            return BerthClient.FromEnvironment();
        }

        var config = RemoteConfigFile.Load();
        return config.Current is { } current ? ForRemote(current, config) : Local();
    }

    private static BerthClient Local()
    {
        var directory = Environment.GetEnvironmentVariable("BERTH_DIR");
        return new BerthClient(string.IsNullOrEmpty(directory) ? BerthClient.DefaultStateDirectory : directory);
    }

    private static BerthClient ForRemote(string name, RemoteConfig config)
    {
        if (!config.Remotes.TryGetValue(name, out var remote))
        {
            throw new CliException($"no remote named '{name}' (berth remote list shows them; berth remote add NAME URL --token-stdin adds one)");
        }

        return new BerthClient(new Uri(remote.Url), remote.Token, remote.Fingerprint);
    }
}
