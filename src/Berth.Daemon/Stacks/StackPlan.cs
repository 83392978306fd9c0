using Berth.Contracts;

namespace Berth.Daemon.Stacks;

/// <summary>The plan of one <c>up</c>: an item per network, base and container, and the base hashes it was made with.</summary>
public sealed record StackPlan(StackDefinition Definition, IReadOnlyList<StackPlanItem> Items, IReadOnlyDictionary<string, string> BaseHashes)
{
    public bool NothingToDo => Items.All(i => i.Action == StackAction.Unchanged);

    public StackPlanItem Of(string kind, string name) => Items.First(i => i.Kind == kind && i.Name == name);

    public const string Network = "network";
    public const string Base = "base";
    public const string Container = "container";
}
