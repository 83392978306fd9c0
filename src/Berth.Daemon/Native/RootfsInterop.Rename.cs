using System.Runtime.InteropServices;

namespace Berth.Daemon.Native;

/// <summary>renameat2, for moves between two directory descriptors that never replace silently.</summary>
internal static unsafe partial class RootfsInterop
{
    public const uint RenameNoreplace = 1;
    public const uint RenameExchange = 2;

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int renameat2(int fromDirectory, string from, int toDirectory, string to, uint flags);
}
