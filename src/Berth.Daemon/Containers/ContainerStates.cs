using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Which actions fit which state; a misfit is a 409 that says what to do instead.</summary>
public static class ContainerStates
{
    public static void RequireStartable(string name, ContainerStatus status)
    {
        switch (status)
        {
            case ContainerStatus.Stopped:
                return;
            case ContainerStatus.Running or ContainerStatus.Starting:
                throw DomainError.Conflict("Container already running", $"'{name}' is already running; restart it instead (PUT /api/v1/containers/{name}/state with action: restart).");
            case ContainerStatus.Frozen:
                throw DomainError.Conflict("Container frozen", $"'{name}' is frozen; unfreeze it first (PUT /api/v1/containers/{name}/state with action: unfreeze).");
            default:
                throw Misfit(name, status, "start");
        }
    }

    public static void RequireStoppable(string name, ContainerStatus status)
    {
        if (status is ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container not running", $"'{name}' is already stopped.");
        }

        if (status is not (ContainerStatus.Running or ContainerStatus.Frozen or ContainerStatus.Starting or ContainerStatus.Stopping))
        {
            throw Misfit(name, status, "stop");
        }
    }

    public static void Require(string name, ContainerStatus status, ContainerStatus wanted, string action)
    {
        if (status != wanted)
        {
            throw Misfit(name, status, action);
        }
    }

    public static DomainError RunningRefusal(string name, string action) =>
        DomainError.Conflict("Container is running", $"'{name}' is running; stop it first or {action} with force: true.");

    public static DomainError Misfit(string name, ContainerStatus status, string action) =>
        DomainError.Conflict("Action does not fit the container's state", $"cannot {action} '{name}' while it is {status.ToString().ToLowerInvariant()}.");
}
