namespace Berth.Daemon.Stacks;

/// <summary>What <c>up</c> does to one object of a stack.</summary>
public static class StackAction
{
    public const string Create = "create";
    public const string Change = "change";
    public const string Restart = "restart";
    public const string Recreate = "recreate";
    public const string Delete = "delete";
    public const string Unchanged = "unchanged";
}
