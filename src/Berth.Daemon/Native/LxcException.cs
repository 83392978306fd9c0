namespace Berth.Daemon.Native;

/// <summary>A liblxc call failed; the message says which call on which container, and liblxc's own error when it gave one.</summary>
public sealed class LxcException(string message) : Exception(message);
