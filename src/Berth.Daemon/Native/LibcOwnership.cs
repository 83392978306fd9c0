using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>lchown, which .NET does not expose.</summary>
public static partial class LibcOwnership
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, uint owner, uint group);
}
