namespace Berth.Contracts;

/// <summary>One object of a stack and what <c>up</c> does (or, with dryRun, would do) to it.</summary>
public sealed record StackPlanItem
{
    /// <summary>network, base or container.</summary>
    public required string Kind { get; init; }
    /// <summary>Its key in the stack file, e.g. web.</summary>
    public required string Name { get; init; }
    /// <summary>The Berth object it is, e.g. the container shop-web.</summary>
    public required string Object { get; init; }
    /// <summary>create, change, restart, recreate, delete or unchanged.</summary>
    public required string Action { get; init; }
    /// <summary>Why, e.g. "env changed" or "base py rebuilt".</summary>
    public string? Reason { get; init; }
}
