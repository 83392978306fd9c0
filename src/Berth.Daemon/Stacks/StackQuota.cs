using Berth.Daemon.Access;
using Berth.Daemon.Users;

namespace Berth.Daemon.Stacks;

/// <summary>
/// What an up adds to its owner's usage, counted before anything is made: every base it builds and container it creates
/// (a recreated one is built beside the old one, so both count until the swap), with their limits, and the networks,
/// forwards and routes of what is new.
/// </summary>
public static class StackQuota
{
    private static IEnumerable<QuotaResource> Limited => QuotaResource.All.Where(r => r.ConfigKey is not null);

    /// <summary>
    /// The quota keys a member's base is launched with: for each, the largest its containers set, so the base (a container
    /// of theirs too) fits the quota its copies fit. A key one of its containers leaves out stays out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BaseLimits(StackDefinition definition, string key)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var users = definition.Containers.Where(c => c.Base == key).ToList();
        var limits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in users.Count == 0 ? [] : Limited)
        {
            var set = users.Select(c => (Value: c.Config.GetValueOrDefault(resource.ConfigKey!), Amount: resource.AmountOf(c.Config))).ToList();
            if (set.All(s => s.Amount is not null))
            {
                limits[resource.ConfigKey!] = set.MaxBy(s => s.Amount)!.Value!;
            }
        }

        return limits;
    }

    /// <summary>The quota keys a copy of a base is made with, so its insert is checked with its own limits, not its base's.</summary>
    public static IReadOnlyDictionary<string, string> Limits(StackContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return Limited.Where(r => container.Config.ContainsKey(r.ConfigKey!)).ToDictionary(r => r.ConfigKey!, r => container.Config[r.ConfigKey!], StringComparer.Ordinal);
    }

    public static QuotaDemand Demand(Caller caller, string? owner, StackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var definition = plan.Definition;
        var made = new List<IReadOnlyDictionary<string, string>>();
        var adds = new Dictionary<QuotaResource, long?>();
        foreach (var item in plan.Items.Where(i => i.Action is StackAction.Create or StackAction.Recreate))
        {
            if (item.Kind == StackPlan.Base)
            {
                made.Add(BaseLimits(definition, item.Name));
            }
            else if (item.Kind == StackPlan.Container)
            {
                var container = definition.Containers.First(c => c.Key == item.Name);
                made.Add(container.Config);
                if (item.Action == StackAction.Create)
                {
                    // A recreate's forwards and routes move from the old container; a new one's are added.
                    Add(adds, QuotaResource.Forwards, container.Forwards.Count);
                    Add(adds, QuotaResource.Routes, container.Routes.Count);
                }
            }
            else if (item.Action == StackAction.Create)
            {
                Add(adds, QuotaResource.Networks, 1);
            }
        }

        Add(adds, QuotaResource.Containers, made.Count);
        foreach (var resource in made.Count == 0 ? [] : Limited)
        {
            var amounts = made.Select(resource.AmountOf).ToList();
            adds[resource] = amounts.Any(a => a is null) ? null : amounts.Sum();
        }

        return new QuotaDemand { Owner = owner, Exempt = QuotaDemand.IsExempt(caller), Adds = adds };
    }

    private static void Add(Dictionary<QuotaResource, long?> adds, QuotaResource resource, int count)
    {
        if (count > 0)
        {
            adds[resource] = (adds.GetValueOrDefault(resource) ?? 0) + count;
        }
    }
}
