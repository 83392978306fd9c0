namespace Berth.Daemon.Native;

/// <summary>A path inside a container's files leads through a symbolic link (or out of the tree), so Berth refused to use it.</summary>
public sealed class UnsafeRootfsPathException(string message) : IOException(message);
