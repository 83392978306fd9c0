namespace Berth.Daemon.Runtime;

/// <summary>Something that must be ready before a container starts, whoever starts it (a job, autostart, a restore): mounts, bridges.</summary>
public interface IContainerStartHook
{
    Task BeforeStartAsync(string container, CancellationToken cancellationToken);
}
