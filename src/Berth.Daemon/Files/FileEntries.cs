using Berth.Contracts;
using Berth.Daemon.Native;

namespace Berth.Daemon.Files;

/// <summary>How a name's status appears on the wire: type names, octal modes, owners as the container sees them.</summary>
public static class FileEntries
{
    public static FileEntryInfo Describe(string name, TreeStatus status, IdShift shift, string? link)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return new FileEntryInfo
        {
            Name = name,
            Type = TypeName(status.Type),
            Mode = ModeText(status.Mode),
            Uid = shift.UidFromHost(status.Uid),
            Gid = shift.GidFromHost(status.Gid),
            Size = status.Size,
            ModifiedAt = status.ModifiedAt,
            Link = link,
        };
    }

    public static string TypeName(TreeEntryType type) => type switch
    {
        TreeEntryType.File => "file",
        TreeEntryType.Directory => "directory",
        TreeEntryType.Symlink => "symlink",
        TreeEntryType.CharacterDevice => "char-device",
        TreeEntryType.BlockDevice => "block-device",
        TreeEntryType.Fifo => "fifo",
        _ => "socket",
    };

    public static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode & 0xfff, 8).PadLeft(4, '0');

    /// <summary>An octal mode such as 644 or 0755; null when <paramref name="text"/> is not one.</summary>
    public static UnixFileMode? ParseMode(string? text)
    {
        if (text is not { Length: >= 3 and <= 5 } || !text.All(c => c is >= '0' and <= '7'))
        {
            return null;
        }

        var bits = Convert.ToInt32(text, 8);
        return bits <= 0xfff ? (UnixFileMode)bits : null;
    }
}
