namespace Berth.Daemon.Native;

/// <summary>An operation on a container's tree failed; <see cref="Fault"/> says why, the message names the container path.</summary>
public sealed class TreeException(TreeFault fault, string message) : IOException(message)
{
    public TreeFault Fault { get; } = fault;
}
