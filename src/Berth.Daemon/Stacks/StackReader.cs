using System.Text.RegularExpressions;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Stacks;

/// <summary>
/// Reads berth.yml (and berth.override.yml merged over it, compose-style) into a <see cref="StackDefinition"/>,
/// collecting every error with its file, line and field before anything changes.
/// </summary>
public sealed partial class StackReader
{
    private static readonly string[] TopKeys = ["name", "variables", "networks", "bases", "containers"];
    private static readonly string[] NetworkKeys = ["subnet", "nat", "bridge"];
    private static readonly string[] BaseKeys = ["image", "packages", "files", "run", "storage"];
    private static readonly string[] ContainerKeys = ["base", "image", "network", "service", "healthcheck", "depends_on", "env", "forwards", "limits", "autostart", "profiles", "routes", "volumes", "restart"];
    private static readonly string[] Conditions = ["started", "healthy", "completed"];

    /// <summary>The longest stack name: STACK-KEY must stay a container name (63) with room for keys.</summary>
    public const int MaxNameLength = 30;

    private readonly List<string> _errors = [];
    private readonly StackVariables _variables;
    private readonly IReadOnlySet<string> _profiles;

    public StackReader(IReadOnlyDictionary<string, string>? sent = null, bool requireValues = true, IReadOnlySet<string>? profiles = null)
    {
        _variables = new StackVariables(sent ?? new Dictionary<string, string>(), requireValues);
        _profiles = profiles ?? new HashSet<string>();
    }

    public StackParseResult Read(IReadOnlyList<StackSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        StackNode? root = null;
        foreach (var source in sources)
        {
            var node = StackYaml.Load(source.File, source.Text, _errors);
            if (node is not null)
            {
                root = root is null ? node : StackNode.Merge(root, node);
            }
        }

        if (root is null || _errors.Count > 0)
        {
            return new StackParseResult(null, _errors, []);
        }

        var definition = ReadRoot(root);
        return new StackParseResult(_errors.Count == 0 ? definition : null, _errors, [.. _variables.Referenced]);
    }

    private StackDefinition? ReadRoot(StackNode root)
    {
        var entries = Mapping(root, "(top)", TopKeys);
        if (entries is null)
        {
            return null;
        }

        var find = (string key) => entries.FirstOrDefault(e => e.Key == key);
        if (find("variables").Value is { } variables)
        {
            foreach (var (key, keyNode, value) in Mapping(variables, "variables") ?? [])
            {
                if (!EnvName().IsMatch(key))
                {
                    Error(keyNode, $"variables.{key}", "is not a variable name (letters, digits and _, not starting with a digit)");
                }
                else if (value.Value is null)
                {
                    Error(value, $"variables.{key}", "must be a single value (its default)");
                }
                else
                {
                    _variables.Declare(key, value.Value);
                }
            }
        }

        string? name = null;
        if (find("name").Value is { } nameNode)
        {
            name = SingleLine(nameNode, "name");
            if (name is not null && (!ContainerName.IsValid(name) || name.Length > MaxNameLength))
            {
                Error(nameNode, "name", $"'{name}' is not a stack name: 1-{MaxNameLength} lowercase letters, digits and hyphens, starting with a letter (containers are named {name}-KEY)");
                name = null;
            }
        }
        else
        {
            Error(root, "name", "is missing; give the stack a name (its containers are named NAME-KEY)");
        }

        var networks = find("networks").Value is { } n ? ReadNetworks(n, name) : [];
        var bases = find("bases").Value is { } b ? ReadBases(b) : [];
        List<(StackContainer Container, StackNode Node)> containers = [];
        if (find("containers").Value is { } c)
        {
            containers = ReadContainers(c, name, networks, bases);
        }
        else
        {
            Error(root, "containers", "is missing; a stack has at least one container");
        }

        var ordered = StartOrder(containers);
        return name is null || ordered is null ? null : new StackDefinition { Name = name, Networks = networks, Bases = bases, Containers = ordered };
    }

    private List<StackNetwork> ReadNetworks(StackNode node, string? stack)
    {
        var result = new List<StackNetwork>();
        foreach (var (key, keyNode, value) in Mapping(node, "networks") ?? [])
        {
            var path = $"networks.{key}";
            if (!ContainerName.IsValid(key))
            {
                Error(keyNode, path, "is not a key: lowercase letters, digits and hyphens, starting with a letter");
                continue;
            }

            var entries = Mapping(value, path, NetworkKeys);
            if (entries is null)
            {
                continue;
            }

            string? subnet = null;
            var nat = false;
            string? bridge = null;
            foreach (var (k, kn, v) in entries)
            {
                switch (k)
                {
                    case "subnet":
                        subnet = SingleLine(v, $"{path}.subnet");
                        if (subnet is not null && !Networking.IpSubnet.TryParse(subnet, out _, out _))
                        {
                            Error(v, $"{path}.subnet", $"'{subnet}' is not an IPv4 subnet in CIDR form, e.g. 10.40.0.0/24");
                            subnet = null;
                        }

                        break;
                    case "nat":
                        nat = Bool(v, $"{path}.nat") ?? false;
                        break;
                    default:
                        bridge = SingleLine(v, $"{path}.bridge");
                        if (bridge is not null && !Networking.NetworkName.IsValid(bridge))
                        {
                            Error(v, $"{path}.bridge", $"'{bridge}' is not a network name: 1-15 characters, a-z, 0-9 and '-', starting with a letter");
                            bridge = null;
                        }

                        break;
                }
            }

            if (subnet is null && !entries.Any(e => e.Key == "subnet"))
            {
                Error(value, $"{path}.subnet", "is missing; give the network's IPv4 subnet, e.g. 10.40.0.0/24");
            }

            bridge ??= stack is null ? null : $"{stack}-{key}";
            if (bridge is not null && !Networking.NetworkName.IsValid(bridge))
            {
                Error(keyNode, $"{path}.bridge", $"'{bridge}' (STACK-KEY) is longer than a network name may be (15); give the network a shorter bridge: name");
                bridge = null;
            }

            if (subnet is not null && bridge is not null)
            {
                result.Add(new StackNetwork(key, bridge, subnet, nat));
            }
        }

        return result;
    }

    private List<StackBase> ReadBases(StackNode node)
    {
        var result = new List<StackBase>();
        foreach (var (key, keyNode, value) in Mapping(node, "bases") ?? [])
        {
            var path = $"bases.{key}";
            if (!ContainerName.IsValid(key))
            {
                Error(keyNode, path, "is not a key: lowercase letters, digits and hyphens, starting with a letter");
                continue;
            }

            var entries = Mapping(value, path, BaseKeys);
            if (entries is null)
            {
                continue;
            }

            string? image = null;
            List<string> packages = [];
            List<StackFileCopy> files = [];
            List<string> run = [];
            string? storage = null;
            foreach (var (k, kn, v) in entries)
            {
                switch (k)
                {
                    case "image":
                        image = SingleLine(v, $"{path}.image");
                        break;
                    case "storage":
                        storage = SingleLine(v, $"{path}.storage");
                        if (storage is not null && !ContainerName.IsValid(storage))
                        {
                            Error(v, $"{path}.storage", $"'{storage}' is not a storage pool name: lowercase letters, digits and hyphens, starting with a letter");
                            storage = null;
                        }

                        break;
                    case "packages":
                        foreach (var (package, packageNode) in Strings(v, $"{path}.packages"))
                        {
                            if (!PackageName().IsMatch(package))
                            {
                                Error(packageNode, $"{path}.packages", $"'{package}' is not a package name");
                            }
                            else
                            {
                                packages.Add(package);
                            }
                        }

                        break;
                    case "files":
                        files = ReadFiles(v, $"{path}.files");
                        break;
                    default:
                        run = [.. Strings(v, $"{path}.run", singleLine: false).Select(s => s.Value)];
                        break;
                }
            }

            if (image is null && !entries.Any(e => e.Key == "image"))
            {
                Error(value, $"{path}.image", "is missing; give the image the base starts from, e.g. busybox or debian/12");
            }

            if (image is not null)
            {
                result.Add(new StackBase { Key = key, Image = image, Packages = packages, Files = files, Run = run, Storage = storage });
            }
        }

        return result;
    }

    private List<StackFileCopy> ReadFiles(StackNode node, string path)
    {
        var result = new List<StackFileCopy>();
        foreach (var (destination, keyNode, value) in Mapping(node, path) ?? [])
        {
            var at = $"{path}.{destination}";
            var source = SingleLine(value, at);
            if (!destination.StartsWith('/') || destination.Split('/').Any(p => p is ".." or ".") || destination.Any(char.IsControl))
            {
                Error(keyNode, at, "the destination must be an absolute path in the container without . or .. parts");
                continue;
            }

            if (source is null)
            {
                continue;
            }

            var normalized = StackInputs.Normalize(source);
            if (normalized is null)
            {
                Error(value, at, $"'{source}' must be a path relative to the stack file's folder that stays inside it (no leading / and no ..)");
                continue;
            }

            result.Add(new StackFileCopy(destination, normalized));
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.:~-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UserName();

    /// <summary>Refusals the container config brings (a bad memory size, say) as text for an error line.</summary>
    private static string? ConfigError(IReadOnlyDictionary<string, string> config)
    {
        try
        {
            _ = ContainerConfig.Apply(new Dictionary<string, string>(), config, null, atLaunch: true, new HostCgroups());
            return null;
        }
        catch (DomainError ex)
        {
            return ex.Message;
        }
    }
}
