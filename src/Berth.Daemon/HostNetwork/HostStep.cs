namespace Berth.Daemon.HostNetwork;

/// <summary>One change of a host network plan: what it says to the user, how it is made and how it is undone (null: nothing to undo).</summary>
public sealed record HostStep(string Description, Func<CancellationToken, Task> Apply, Func<Task>? Undo = null);
