namespace Berth.Daemon.Backups.Policy;

/// <summary>What <see cref="KeepSelector"/> decided for one container's backups, both lists newest first.</summary>
public sealed record KeepSelection(IReadOnlyList<KeptBackup> Keep, IReadOnlyList<string> Forget);
