using System.Globalization;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Stacks;

/// <summary>The containers: section, references between containers, and the start order.</summary>
public sealed partial class StackReader
{
    private List<(StackContainer Container, StackNode Node)> ReadContainers(StackNode node, string? stack, IReadOnlyList<StackNetwork> networks, IReadOnlyList<StackBase> bases)
    {
        var read = new List<(StackContainer, StackNode, List<(string Key, StackNode Node)>)>();
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, keyNode, value) in Mapping(node, "containers") ?? [])
        {
            var path = $"containers.{key}";
            if (!ContainerName.IsValid(key) || (stack is not null && !ContainerName.IsValid($"{stack}-{key}")))
            {
                Error(keyNode, path, "is not a container key: lowercase letters, digits and hyphens, starting with a letter, and STACK-KEY at most 63 characters");
                continue;
            }

            var entries = Mapping(value, path, ContainerKeys);
            if (entries is null)
            {
                continue;
            }

            var profiles = entries.FirstOrDefault(e => e.Key == "profiles").Value is { } p ? Strings(p, $"{path}.profiles").Select(s => s.Value).ToList() : [];
            if (profiles.Count > 0 && !profiles.Any(_profiles.Contains))
            {
                excluded.Add(key);
                continue;
            }

            var (container, dependencies) = ReadContainer(key, path, value, entries, networks, bases);
            if (container is not null)
            {
                read.Add((container, keyNode, dependencies));
            }
        }

        RequireDistinctRoutes([.. read.Select(r => (r.Item1, r.Item2))]);
        var keys = read.Select(r => r.Item1.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (container, _, dependencies) in read)
        {
            foreach (var (dependency, at) in dependencies)
            {
                var path = $"containers.{container.Key}.depends_on.{dependency}";
                if (excluded.Contains(dependency))
                {
                    Error(at, path, $"{dependency} is in a profile that is not active; activate it too (--profile) or drop the dependency");
                }
                else if (!keys.Contains(dependency))
                {
                    Error(at, path, $"no container named {dependency}");
                }
                else if (dependency == container.Key)
                {
                    Error(at, path, "a container cannot depend on itself");
                }
                else if (container.DependsOn[dependency] == "healthy" && read.First(r => r.Item1.Key == dependency).Item1.Healthcheck is null)
                {
                    Error(at, path, $"condition healthy needs a healthcheck: on {dependency}; add one or use condition: started");
                }
                else if (container.DependsOn[dependency] == "completed" && read.First(r => r.Item1.Key == dependency).Item1.Service is null)
                {
                    Error(at, path, $"condition completed needs a service: on {dependency} whose command ends");
                }
            }
        }

        return [.. read.Select(r => (r.Item1, r.Item2))];
    }

    private (StackContainer? Container, List<(string, StackNode)> Dependencies) ReadContainer(
        string key, string path, StackNode value, List<(string Key, StackNode KeyNode, StackNode Value)> entries, IReadOnlyList<StackNetwork> networks, IReadOnlyList<StackBase> bases)
    {
        string? baseKey = null;
        string? image = null;
        string? network = null;
        StackServiceDefinition? service = null;
        StackHealthcheck? healthcheck = null;
        var dependsOn = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var dependencies = new List<(string, StackNode)>();
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var forwards = new List<string>();
        var routes = new List<StackRoute>();
        var volumes = new List<string>();
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var failed = _errors.Count;
        foreach (var (k, kn, v) in entries)
        {
            var at = $"{path}.{k}";
            switch (k)
            {
                case "base":
                    baseKey = SingleLine(v, at);
                    if (baseKey is not null && !bases.Any(b => b.Key == baseKey))
                    {
                        Error(v, at, bases.Count == 0 ? $"no base named {baseKey} (the file has no bases:)" : $"no base named {baseKey}; the bases are {string.Join(", ", bases.Select(b => b.Key))}");
                    }

                    break;
                case "image":
                    image = SingleLine(v, at);
                    break;
                case "network":
                    network = SingleLine(v, at);
                    if (network is not null && !networks.Any(n => n.Key == network))
                    {
                        Error(v, at, $"no network named {network} under networks:");
                    }

                    break;
                case "service":
                    service = ReadService(v, at);
                    break;
                case "healthcheck":
                    healthcheck = ReadHealthcheck(v, at);
                    break;
                case "depends_on":
                    ReadDependsOn(v, at, dependsOn, dependencies);
                    break;
                case "env":
                    ReadEnv(v, at, env);
                    break;
                case "forwards":
                    foreach (var (forward, fn) in Strings(v, at))
                    {
                        try
                        {
                            _ = Networking.PortSpec.Parse(forward);
                            forwards.Add(forward);
                        }
                        catch (DomainError ex)
                        {
                            Error(fn, at, ex.Message);
                        }
                    }

                    break;
                case "routes":
                    ReadRoutes(v, at, routes);
                    break;
                case "volumes":
                    foreach (var (volume, vn) in Strings(v, at))
                    {
                        if (BindMounts.ParseOne(volume, out var volumeError) is not { } mount)
                        {
                            Error(vn, at, volumeError);
                        }
                        else if (volumes.Any(m => BindMounts.ParseOne(m, out _)!.Path == mount.Path))
                        {
                            Error(vn, at, $"{mount.Path} is mounted twice");
                        }
                        else
                        {
                            volumes.Add(BindMounts.Format([mount]));
                        }
                    }

                    break;
                case "limits":
                    ReadLimits(v, at, config);
                    break;
                case "autostart":
                    ReadAutostart(v, at, config);
                    break;
                case "restart":
                    if (SingleLine(v, at) is { } policy)
                    {
                        if (Health.HealthKeys.ParsePolicy(policy) is null || policy.Length == 0)
                        {
                            Error(v, at, $"'{policy}' is not no, on-failure or always");
                        }
                        else
                        {
                            config[Health.HealthKeys.Policy] = policy;
                        }
                    }

                    break;
                default:
                    break; // profiles: read before
            }
        }

        if ((baseKey is null) == (image is null) && _errors.Count == failed)
        {
            Error(value, path, "give either base: (a base of this file) or image: (an image such as busybox)");
        }

        if (network is null && networks.Count == 1)
        {
            network = networks[0].Key;
        }
        else if (network is null && networks.Count > 1 && _errors.Count == failed)
        {
            Error(value, $"{path}.network", $"is missing; the stack has several networks ({string.Join(", ", networks.Select(n => n.Key))}), so say which one");
        }

        if (healthcheck is not null)
        {
            AddHealthKeys(healthcheck, config);
        }

        if (ConfigError(config) is { } configError)
        {
            Error(value, path, configError);
        }

        var container = _errors.Count > failed ? null : new StackContainer
        {
            Key = key,
            Base = baseKey,
            Image = image,
            Network = network,
            Service = service,
            Healthcheck = healthcheck,
            DependsOn = dependsOn,
            Env = env,
            Forwards = forwards,
            Routes = routes,
            Volumes = volumes,
            Config = config,
        };
        return (container, dependencies);
    }

    /// <summary>The healthcheck as the container's health keys, so the health monitor keeps watching it after up.</summary>
    private static void AddHealthKeys(StackHealthcheck check, SortedDictionary<string, string> config)
    {
        config[Health.HealthKeys.Command] = check.Command;
        config[Health.HealthKeys.Interval] = HealthPeriod(check.Interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : check.Interval);
        config[Health.HealthKeys.Timeout] = HealthPeriod(check.Timeout < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : check.Timeout);
        config[Health.HealthKeys.Retries] = Math.Min(check.Retries, 1000).ToString(CultureInfo.InvariantCulture);
    }

    private static string HealthPeriod(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s"
            : $"{((long)Math.Ceiling(span.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)}ms";

    private StackServiceDefinition? ReadService(StackNode node, string path)
    {
        if (node.Value is not null)
        {
            return Text(node, path) is { } line ? new StackServiceDefinition(line, null, true) : null;
        }

        string? command = null;
        string? user = null;
        var restart = true;
        foreach (var (k, kn, v) in Mapping(node, path, "command", "user", "restart") ?? [])
        {
            switch (k)
            {
                case "command":
                    command = Text(v, $"{path}.command");
                    break;
                case "user":
                    user = SingleLine(v, $"{path}.user");
                    if (user is not null && !UserName().IsMatch(user))
                    {
                        Error(v, $"{path}.user", $"'{user}' is not a user name");
                        user = null;
                    }

                    break;
                default:
                    var r = SingleLine(v, $"{path}.restart");
                    if (r is not ("always" or "no"))
                    {
                        Error(v, $"{path}.restart", $"'{r}' is not always or no");
                    }

                    restart = r != "no";
                    break;
            }
        }

        if (command is null)
        {
            Error(node, $"{path}.command", "is missing; give the command the service runs");
            return null;
        }

        return new StackServiceDefinition(command, user, restart);
    }

    private StackHealthcheck? ReadHealthcheck(StackNode node, string path)
    {
        string? command = null;
        TimeSpan interval = TimeSpan.FromSeconds(5), timeout = TimeSpan.FromSeconds(5);
        var retries = 10;
        foreach (var (k, kn, v) in Mapping(node, path, "command", "interval", "timeout", "retries") ?? [])
        {
            switch (k)
            {
                case "command":
                    command = Text(v, $"{path}.command");
                    break;
                case "interval":
                    interval = Duration(v, $"{path}.interval") ?? interval;
                    break;
                case "timeout":
                    timeout = Duration(v, $"{path}.timeout") ?? timeout;
                    break;
                default:
                    retries = Integer(v, $"{path}.retries", 1, 10_000) ?? retries;
                    break;
            }
        }

        if (command is null)
        {
            Error(node, $"{path}.command", "is missing; give the command whose exit status 0 means healthy");
            return null;
        }

        return new StackHealthcheck(command, interval, timeout, retries);
    }

    private void ReadDependsOn(StackNode node, string path, SortedDictionary<string, string> dependsOn, List<(string, StackNode)> dependencies)
    {
        if (node.List is not null)
        {
            foreach (var (dependency, at) in Strings(node, path))
            {
                dependsOn[dependency] = "started";
                dependencies.Add((dependency, at));
            }

            return;
        }

        foreach (var (k, kn, v) in Mapping(node, path) ?? [])
        {
            var condition = "started";
            if (!v.IsNull)
            {
                foreach (var (ck, ckn, cv) in Mapping(v, $"{path}.{k}", "condition") ?? [])
                {
                    condition = SingleLine(cv, $"{path}.{k}.condition") ?? condition;
                    if (!Conditions.Contains(condition, StringComparer.Ordinal))
                    {
                        Error(cv, $"{path}.{k}.condition", $"'{condition}' is not started, healthy or completed");
                    }
                }
            }

            dependsOn[k] = condition;
            dependencies.Add((k, kn));
        }
    }

    private void ReadEnv(StackNode node, string path, SortedDictionary<string, string> env)
    {
        IEnumerable<(string Key, StackNode Node, string? Value)> pairs = node.List is not null
            ? Strings(node, path).Select(s => s.Value.Split('=', 2) is [var k, var v] ? (k, s.Node, (string?)v) : (s.Value, s.Node, null))
            : (Mapping(node, path) ?? []).Select(e => (e.Key, e.KeyNode, e.Value.IsNull ? "" : SingleLine(e.Value, $"{path}.{e.Key}")));
        foreach (var (key, at, value) in pairs)
        {
            if (!EnvName().IsMatch(key))
            {
                Error(at, $"{path}.{key}", "is not a variable name (letters, digits and _, not starting with a digit)");
            }
            else if (value is null)
            {
                Error(at, $"{path}.{key}", node.List is not null ? "write KEY=VALUE" : "must be one line");
            }
            else if (value.Any(char.IsControl))
            {
                Error(at, $"{path}.{key}", "must be one line without control characters");
            }
            else
            {
                env[key] = value;
            }
        }
    }

    private void ReadLimits(StackNode node, string path, SortedDictionary<string, string> config)
    {
        foreach (var (k, kn, v) in Mapping(node, path, "memory", "cpu", "processes") ?? [])
        {
            if (SingleLine(v, $"{path}.{k}") is { } value)
            {
                config[$"limits.{k}"] = value;
            }
        }
    }

    private void ReadAutostart(StackNode node, string path, SortedDictionary<string, string> config)
    {
        if (node.Value is not null)
        {
            if (Bool(node, path) is { } on)
            {
                config[ContainerConfig.BootAutostart] = on ? "true" : "false";
            }

            return;
        }

        config[ContainerConfig.BootAutostart] = "true";
        foreach (var (k, kn, v) in Mapping(node, path, "order", "delay") ?? [])
        {
            if (k == "order" && Integer(v, $"{path}.order", 0, 1000) is { } order)
            {
                config[ContainerConfig.BootAutostartOrder] = order.ToString(CultureInfo.InvariantCulture);
            }
            else if (k == "delay" && Duration(v, $"{path}.delay") is { } delay)
            {
                config[ContainerConfig.BootAutostartDelay] = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Dependencies first (Kahn's algorithm, file order among equals); a cycle is an error naming its members.</summary>
    private List<StackContainer>? StartOrder(List<(StackContainer Container, StackNode Node)> containers)
    {
        var remaining = containers.ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<StackContainer>();
        while (remaining.Count > 0)
        {
            var ready = remaining.FirstOrDefault(r => r.Container.DependsOn.Keys.All(d => done.Contains(d) || !containers.Any(c => c.Container.Key == d)));
            if (ready.Container is null)
            {
                var first = remaining[0];
                Error(first.Node, $"containers.{first.Container.Key}.depends_on", $"dependency cycle among {string.Join(", ", remaining.Select(r => r.Container.Key))}; remove one of these dependencies");
                return null;
            }

            remaining.Remove(ready);
            done.Add(ready.Container.Key);
            ordered.Add(ready.Container);
        }

        return ordered;
    }
}
