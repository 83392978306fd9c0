namespace Berth.Contracts;

/// <summary>Answer of <c>POST /api/v1/stacks/{name}/up</c>: the plan, and the job applying it (none for a dry run or nothing to do).</summary>
public sealed record StackPlanInfo
{
    public required string Stack { get; init; }
    public bool DryRun { get; init; }
    public required IReadOnlyList<StackPlanItem> Items { get; init; }
    public JobInfo? Job { get; init; }
}
