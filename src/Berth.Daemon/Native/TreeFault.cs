namespace Berth.Daemon.Native;

/// <summary>Why an operation on a path in a container's tree failed, in the terms the files API answers with.</summary>
public enum TreeFault
{
    NotFound,
    NotADirectory,
    IsADirectory,
    Exists,
    NotEmpty,
    NoSpace,
    Unsafe,
    Other,
}
