namespace Berth.Contracts;

/// <summary>What the container's health command and restart policy say of it (null on ContainerInfo when neither is set).</summary>
public enum ContainerHealth
{
    /// <summary>Running, its health command has not passed yet (or its start period has not ended).</summary>
    Starting,
    Healthy,
    /// <summary>Its health command failed health.retries times in a row.</summary>
    Unhealthy,
    /// <summary>Its restart policy is restarting it (waiting out the backoff or starting it).</summary>
    Restarting,
}
