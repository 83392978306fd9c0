using System.Text.RegularExpressions;
using Berth.Daemon.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Berth.Daemon.HostNetwork;

/// <summary>
/// Reads the host network file (<c>bridges:</c> name → interfaces, ipv4, ipv6, nat, network) and refuses it whole,
/// every problem named by line and key, when anything is wrong; nothing is applied from a file with an error.
/// </summary>
public static partial class HostFile
{
    private static readonly string[] BridgeKeys = ["interfaces", "ipv4", "ipv6", "nat", "network"];

    /// <param name="interfaceExists">Whether the host has an interface of that name.</param>
    /// <param name="defaultRoute">The interfaces that carry the host's default route (IPv4 or IPv6).</param>
    /// <param name="force">Allow enslaving one of those.</param>
    public static IReadOnlyList<HostBridgeSpec> Parse(string text, Func<string, bool> interfaceExists, IReadOnlySet<string> defaultRoute, bool force)
    {
        ArgumentNullException.ThrowIfNull(interfaceExists);
        ArgumentNullException.ThrowIfNull(defaultRoute);
        var errors = new List<string>();
        var bridges = Read(text ?? "", errors, interfaceExists, defaultRoute, force);
        if (errors.Count > 0)
        {
            throw DomainError.Invalid("Invalid host network file", string.Join("; ", errors) + ".");
        }

        return bridges;
    }

    private static List<HostBridgeSpec> Read(string text, List<string> errors, Func<string, bool> interfaceExists, IReadOnlySet<string> defaultRoute, bool force)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var at = message.IndexOf("): ", StringComparison.Ordinal);
            var reason = at >= 0 ? message[(at + 3)..] : message;
            errors.Add(reason.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? $"line {ex.Start.Line}: '{reason["Duplicate key ".Length..].Trim()}' appears twice in one map (two bridges, or two keys of one bridge, with one name)"
                : $"line {ex.Start.Line}: not valid YAML: {reason}");
            return [];
        }
        catch (ArgumentException)
        {
            // YamlDotNet's mapping refuses a key it already holds (two bridges or two keys of one name).
            errors.Add("line 1: a name appears twice in one map (two bridges or two keys of one bridge with the same name)");
            return [];
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add("line 1: the file must be one YAML map with a bridges: key, e.g. bridges: { br-int: { ipv4: 10.10.0.1/24, nat: true } }");
            return [];
        }

        YamlNode? bridgesNode = null;
        foreach (var (key, value) in root.Children)
        {
            if (Scalar(key) == "bridges")
            {
                bridgesNode = value;
            }
            else
            {
                errors.Add($"line {Line(key)}: unknown key '{Scalar(key)}' (the file has bridges: only)");
            }
        }

        var result = new List<HostBridgeSpec>();
        if (bridgesNode is null)
        {
            errors.Add("line 1: bridges: is missing (bridges: {} declares none, which removes every bridge applied before)");
            return result;
        }

        if (bridgesNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return result;
        }

        if (bridgesNode is not YamlMappingNode bridgeMap)
        {
            errors.Add($"line {Line(bridgesNode)}: bridges must be a map of bridge name to its settings");
            return result;
        }

        var enslaved = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = bridgeMap.Children.Keys.Select(Scalar).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in bridgeMap.Children)
        {
            var name = Scalar(key);
            if (!BridgeName().IsMatch(name))
            {
                errors.Add($"line {Line(key)}: '{name}' is not a valid bridge name: 1-15 characters, a-z, 0-9 and '-', starting with a letter");
                continue;
            }

            if (ReadBridge(name, value, errors, names, enslaved, interfaceExists, defaultRoute, force) is { } spec)
            {
                result.Add(spec);
            }
        }

        RefuseOverlaps(result, bridgeMap, errors);
        return result;
    }

    private static HostBridgeSpec? ReadBridge(string name, YamlNode value, List<string> errors, HashSet<string> bridgeNames, Dictionary<string, string> enslaved,
        Func<string, bool> interfaceExists, IReadOnlySet<string> defaultRoute, bool force)
    {
        var where = $"bridges.{name}";
        IEnumerable<KeyValuePair<YamlNode, YamlNode>>? settings = value switch
        {
            YamlMappingNode map => map.Children,
            YamlScalarNode { Value: null or "" or "~" or "null" } => [],
            _ => null,
        };
        if (settings is null)
        {
            errors.Add($"line {Line(value)}: {where} must be a map such as {{ ipv4: 10.10.0.1/24, nat: true }}");
            return null;
        }

        var before = errors.Count;
        var interfaces = new List<string>();
        string? ipv4 = null, ipv6 = null;
        bool nat = false;
        bool? network = null;
        foreach (var (keyNode, setting) in settings)
        {
            var key = Scalar(keyNode);
            var at = $"line {Line(setting)}: {where}.{key}";
            switch (key)
            {
                case "interfaces":
                    if (setting is not YamlSequenceNode list)
                    {
                        errors.Add($"{at} must be a list of host interface names, e.g. [eth1]");
                        break;
                    }

                    foreach (var item in list.Children)
                    {
                        var nic = Scalar(item);
                        var nicAt = $"line {Line(item)}: {where}.interfaces";
                        if (!InterfaceName().IsMatch(nic) || nic == "lo")
                        {
                            errors.Add($"{nicAt}: '{nic}' is not a host interface name");
                        }
                        else if (bridgeNames.Contains(nic))
                        {
                            errors.Add($"{nicAt}: '{nic}' is a bridge of this file; a bridge is not enslaved to another");
                        }
                        else if (!enslaved.TryAdd(nic, name))
                        {
                            errors.Add($"{nicAt}: '{nic}' is already an interface of bridge '{enslaved[nic]}'; an interface belongs to one bridge");
                        }
                        else if (!interfaceExists(nic))
                        {
                            errors.Add($"{nicAt}: the host has no interface '{nic}'");
                        }
                        else if (defaultRoute.Contains(nic) && !force)
                        {
                            errors.Add($"{nicAt}: '{nic}' carries the host's default route; enslaving it moves the host's connection to the bridge and can cut it off (apply with force to do it anyway)");
                        }
                        else
                        {
                            interfaces.Add(nic);
                        }
                    }

                    break;
                case "ipv4":
                case "ipv6":
                    var text = Scalar(setting);
                    if (!HostAddress.TryParse(text, out var address, out var error))
                    {
                        errors.Add($"{at}: {error}");
                    }
                    else if (address!.IsIpv4 != (key == "ipv4"))
                    {
                        errors.Add($"{at}: '{text}' is not an {(key == "ipv4" ? "IPv4" : "IPv6")} address");
                    }
                    else if (address.IsIpv4 && (address.PrefixLength is < 8 or > 30 || address.Subnet.OffsetOf(address.Address) == 0 || address.Address.Equals(address.Subnet.Broadcast)))
                    {
                        errors.Add($"{at}: '{text}' must be a host address (not the network or broadcast address) with a prefix length of 8 to 30");
                    }
                    else if (!address.IsIpv4 && (address.PrefixLength is < 48 or > 128 || address.Address.IsIPv6LinkLocal || address.Address.IsIPv6Multicast))
                    {
                        errors.Add($"{at}: '{text}' must be a global or unique-local IPv6 address with a prefix length of 48 to 128");
                    }
                    else if (key == "ipv4")
                    {
                        ipv4 = address.ToString();
                    }
                    else
                    {
                        ipv6 = address.ToString();
                    }

                    break;
                case "nat":
                case "network":
                    if (Boolean(setting) is not { } flag)
                    {
                        errors.Add($"{at} must be true or false");
                    }
                    else if (key == "nat")
                    {
                        nat = flag;
                    }
                    else
                    {
                        network = flag;
                    }

                    break;
                default:
                    errors.Add($"line {Line(keyNode)}: unknown key '{where}.{key}' (a bridge has {string.Join(", ", BridgeKeys)})");
                    break;
            }
        }

        var line = Line(value);
        if (nat && ipv4 is null && errors.Count == before)
        {
            errors.Add($"line {line}: {where}.nat needs ipv4: NAT masquerades the bridge's IPv4 subnet");
        }

        // A bridge with no uplink and an IPv4 address is a network by default: that is what it is for.
        var isNetwork = network ?? (interfaces.Count == 0 && ipv4 is not null);
        if (isNetwork && errors.Count == before)
        {
            RefuseAsNetwork(where, line, interfaces, ipv4, ipv6, errors);
        }

        return errors.Count > before ? null : new HostBridgeSpec { Name = name, Interfaces = interfaces, Ipv4 = ipv4, Ipv6 = ipv6, Nat = nat, Network = isNetwork };
    }

    /// <summary>A Berth network's host address is its subnet's gateway (the first address) and containers take the rest; no uplink shares its segment.</summary>
    private static void RefuseAsNetwork(string where, long line, List<string> interfaces, string? ipv4, string? ipv6, List<string> errors)
    {
        if (interfaces.Count > 0)
        {
            errors.Add($"line {line}: {where}.network: a bridge with interfaces shares its segment with the outside, so it cannot be a Berth network (set network: false, or leave out interfaces)");
        }
        else if (ipv4 is null)
        {
            errors.Add($"line {line}: {where}.network needs ipv4: a Berth network gives containers IPv4 addresses");
        }
        else if (HostAddress.TryParse(ipv4, out var a4, out _) && (!a4!.Address.Equals(a4.Subnet.Gateway) || a4.PrefixLength > 29))
        {
            errors.Add($"line {line}: {where}.ipv4: a Berth network's bridge has the first address of its subnet ({a4.Subnet.Gateway}/{a4.PrefixLength}) and a prefix length of at most 29; or set network: false");
        }
        else if (ipv6 is not null && HostAddress.TryParse(ipv6, out var a6, out _) && (!a6!.Address.Equals(a6.Subnet.Gateway) || a6.PrefixLength > 120))
        {
            errors.Add($"line {line}: {where}.ipv6: a Berth network's bridge has the first address of its prefix ({a6.Subnet.Gateway}/{a6.PrefixLength}) and a prefix length of at most 120; or set network: false");
        }
    }

    private static void RefuseOverlaps(List<HostBridgeSpec> bridges, YamlMappingNode map, List<string> errors)
    {
        for (var i = 0; i < bridges.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (bridges[i], bridges[j]);
                if (a.Address4 is { } a4 && b.Address4 is { } b4 && a4.Subnet.Overlaps(b4.Subnet) || a.Address6 is { } a6 && b.Address6 is { } b6 && a6.Subnet.Overlaps(b6.Subnet))
                {
                    var line = map.Children.Keys.Where(k => Scalar(k) == a.Name).Select(Line).FirstOrDefault(1L);
                    errors.Add($"line {line}: bridges.{a.Name}: its subnet overlaps bridge '{b.Name}'; two bridges with one subnet make two routes for it");
                }
            }
        }
    }

    private static bool? Boolean(YamlNode node) => Scalar(node) switch
    {
        "true" or "True" or "TRUE" or "yes" => true,
        "false" or "False" or "FALSE" or "no" => false,
        _ => null,
    };

    private static string Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    private static long Line(YamlNode node) => Math.Max(1, node.Start.Line);

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,14}\z")]
    private static partial Regex BridgeName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,14}\z")]
    private static partial Regex InterfaceName();
}
