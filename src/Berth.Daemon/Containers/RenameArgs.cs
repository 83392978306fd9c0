namespace Berth.Daemon.Containers;

/// <summary>Arguments of a rename job.</summary>
public sealed record RenameArgs(string Name, string NewName);
