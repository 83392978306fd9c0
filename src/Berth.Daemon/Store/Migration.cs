namespace Berth.Daemon.Store;

/// <summary>One schema step: applied once, in order, inside a transaction.</summary>
public sealed record Migration(int Version, string Description, string Sql);
