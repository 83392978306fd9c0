namespace Berth.Daemon.Stacks;

/// <summary>An input file of a stack upload: its content and permission bits.</summary>
public sealed record UploadedFile(byte[] Content, UnixFileMode Mode);
