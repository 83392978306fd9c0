using Berth.Contracts;

namespace Berth.Daemon.Stacks;

/// <summary>
/// Compares a definition with what the last <c>up</c> applied (and with what exists) and says, per object, what to do
/// and why. Pure: the caller passes in which containers exist.
/// </summary>
public static class StackPlanner
{
    public static StackPlan Plan(StackDefinition next, StackState? previous, IReadOnlyDictionary<string, string> baseHashes, Func<string, bool> exists, Func<string, bool>? running = null)
    {
        running ??= _ => true;
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(baseHashes);
        ArgumentNullException.ThrowIfNull(exists);
        var items = new List<StackPlanItem>();
        var old = previous?.Definition;

        var changedNetworks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var network in next.Networks)
        {
            var before = old?.Networks.FirstOrDefault(n => n.Key == network.Key);
            var (action, reason) = before is null ? (StackAction.Create, "new") : before != network ? (StackAction.Recreate, "subnet, nat or bridge changed") : (StackAction.Unchanged, null);
            if (action != StackAction.Unchanged)
            {
                changedNetworks.Add(network.Key);
            }

            items.Add(Item(StackPlan.Network, network.Key, network.Bridge, action, reason));
        }

        var rebuilt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in next.Bases)
        {
            var hash = baseHashes[definition.Key];
            var built = previous?.Bases.GetValueOrDefault(definition.Key);
            var (action, reason) = built is null ? (StackAction.Create, "new")
                : built.Hash != hash ? (StackAction.Recreate, "definition or input files changed")
                : !exists(built.Container) ? (StackAction.Create, "its container is missing")
                : (StackAction.Unchanged, null);
            if (action != StackAction.Unchanged)
            {
                rebuilt.Add(definition.Key);
            }

            items.Add(Item(StackPlan.Base, definition.Key, BaseContainer(next, definition.Key, hash), action, reason));
        }

        var restarted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in next.Containers)
        {
            var name = next.ContainerName(container.Key);
            var before = old?.Containers.FirstOrDefault(c => c.Key == container.Key);
            string action;
            string? reason = null;
            if (before is null)
            {
                action = StackAction.Create;
                reason = "new";
            }
            else if (!exists(name))
            {
                action = StackAction.Create;
                reason = "its container is missing";
            }
            else if (container.Base is { } b && rebuilt.Contains(b))
            {
                action = StackAction.Recreate;
                reason = $"base {b} rebuilt";
            }
            else if (container.Network is { } n && changedNetworks.Contains(n))
            {
                action = StackAction.Recreate;
                reason = $"network {n} recreated";
            }
            else if (StackHashes.Identity(before, null, old!.Networks.FirstOrDefault(x => x.Key == before.Network)) != StackHashes.Identity(container, null, next.Networks.FirstOrDefault(x => x.Key == container.Network)))
            {
                action = StackAction.Recreate;
                reason = "base, image or network changed";
            }
            else if (!before.Volumes.SequenceEqual(container.Volumes, StringComparer.Ordinal))
            {
                action = StackAction.Restart;
                reason = "volumes changed";
            }
            else if (StackHashes.Service(before) != StackHashes.Service(container))
            {
                action = StackAction.Restart;
                reason = Differences(before, container);
            }
            else if (container.DependsOn.Keys.FirstOrDefault(restarted.Contains) is { } dependency)
            {
                action = StackAction.Restart;
                reason = $"dependency {dependency} restarted";
            }
            else if (StackHashes.Config(before) != StackHashes.Config(container) || StackHashes.Forwards(before) != StackHashes.Forwards(container)
                || StackHashes.Routes(before) != StackHashes.Routes(container))
            {
                action = StackAction.Change;
                reason = StackHashes.Config(before) != StackHashes.Config(container) ? "limits, autostart, healthcheck or restart changed"
                    : StackHashes.Forwards(before) != StackHashes.Forwards(container) ? "forwards changed" : "routes changed";
            }
            else if (!running(name))
            {
                action = StackAction.Restart;
                reason = "stopped";
            }
            else
            {
                action = StackAction.Unchanged;
            }

            if (action is StackAction.Create or StackAction.Recreate or StackAction.Restart)
            {
                restarted.Add(container.Key);
            }

            items.Add(Item(StackPlan.Container, container.Key, name, action, reason));
        }

        foreach (var gone in old?.Containers.Where(c => !next.Containers.Any(n => n.Key == c.Key)) ?? [])
        {
            items.Add(Item(StackPlan.Container, gone.Key, old!.ContainerName(gone.Key), StackAction.Delete, "no longer in the file"));
        }

        foreach (var (key, built) in previous?.Bases.Where(b => !next.Bases.Any(n => n.Key == b.Key)) ?? [])
        {
            items.Add(Item(StackPlan.Base, key, built.Container, StackAction.Delete, "no longer in the file"));
        }

        foreach (var gone in old?.Networks.Where(n => !next.Networks.Any(x => x.Key == n.Key)) ?? [])
        {
            items.Add(Item(StackPlan.Network, gone.Key, gone.Bridge, StackAction.Delete, "no longer in the file"));
        }

        return new StackPlan(next, items, baseHashes);
    }

    /// <summary>The stopped container a base is built into: STACK--KEY-HASH (no container key can make the double hyphen).</summary>
    public static string BaseContainer(StackDefinition definition, string key, string hash)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(hash);
        var name = $"{definition.Name}--{key}";
        return $"{name[..Math.Min(name.Length, 54)]}-{hash[..8]}";
    }

    /// <summary>
    /// The name a recreated container is built under beside the one it replaces (<paramref name="role"/> next), or the
    /// replaced one waits under until the up succeeded (prev): STACK--KEY-ROLE, which no container or base key can give.
    /// </summary>
    public static string Beside(StackDefinition definition, string key, string role)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(role);
        var name = $"{definition.Name}--{key}";
        if (name.Length > 58)
        {
            name = $"{name[..51]}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..6]}";
        }

        return $"{name}-{role}";
    }

    private static string Differences(StackContainer before, StackContainer after)
    {
        var changed = new List<string>();
        if (before.Service != after.Service)
        {
            changed.Add("service");
        }

        if (!before.Env.OrderBy(p => p.Key).SequenceEqual(after.Env.OrderBy(p => p.Key)))
        {
            changed.Add("env");
        }

        return $"{string.Join(", ", changed)} changed";
    }

    private static StackPlanItem Item(string kind, string name, string obj, string action, string? reason) =>
        new() { Kind = kind, Name = name, Object = obj, Action = action, Reason = reason };
}
