namespace Berth.Daemon.Health;

/// <summary>The last start or stop Berth published for a container; the generation tells a new one from one already applied.</summary>
internal sealed record ContainerIntent(bool Run, long Generation);
