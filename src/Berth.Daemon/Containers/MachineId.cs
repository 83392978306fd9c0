using System.Security.Cryptography;
using System.Text;
using Berth.Daemon.Native;

namespace Berth.Daemon.Containers;

/// <summary>
/// /etc/machine-id (and D-Bus's copy in /var/lib/dbus), by which systemd, journald and D-Bus tell machines apart:
/// a copy must not keep its source's, and an image keeps none.
/// </summary>
public static class MachineId
{
    private const string File = "etc/machine-id";
    private const string DbusFile = "var/lib/dbus/machine-id";
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Directories = (UnixFileMode)0b111_101_101;

    /// <summary>
    /// Replaces an id the tree has with a fresh random one (so the copy is not a first boot to systemd, which would
    /// re-apply unit presets); an empty or missing one stays so, and systemd makes one at the first boot.
    /// </summary>
    public static void Renew(RootfsDirectory root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var hasId = root.Kind(File) switch
        {
            RootfsEntryKind.File => root.Read(File)!.Any(b => !char.IsWhiteSpace((char)b)),
            RootfsEntryKind.Link => true,
            _ => false,
        };
        if (!hasId)
        {
            DropDbusCopy(root);
            return;
        }

        // systemd writes its ids as random (version 4) UUIDs without dashes.
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var id = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(bytes) + "\n");
        root.Write(File, id, ReadOnly, Directories);
        if (DbusKind(root) == RootfsEntryKind.File)
        {
            root.Write(DbusFile, id, ReadOnly, Directories);
        }
    }

    /// <summary>Leaves an empty id (each container made from an image gets its own at first boot) and no D-Bus copy.</summary>
    public static void Forget(RootfsDirectory root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Kind(File) != RootfsEntryKind.Directory)
        {
            root.Write(File, [], ReadOnly, Directories);
        }

        DropDbusCopy(root);
    }

    // A link there (Debian's dbus package makes one to /etc/machine-id) stays: it is resolved inside the container.
    private static void DropDbusCopy(RootfsDirectory root)
    {
        if (DbusKind(root) == RootfsEntryKind.File)
        {
            root.Delete(DbusFile);
        }
    }

    private static RootfsEntryKind DbusKind(RootfsDirectory root)
    {
        try
        {
            return root.Kind(DbusFile);
        }
        catch (UnsafeRootfsPathException)
        {
            // /var/lib or /var/lib/dbus is a link: Berth does not go there, and D-Bus falls back to /etc/machine-id.
            return RootfsEntryKind.Missing;
        }
    }
}
