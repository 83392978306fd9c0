using System.Globalization;

namespace Berth.Daemon.Hosting;

/// <summary>
/// A host-wide resource one berthd owns while it runs (its nft table, its default bridge): an exclusive lock on a
/// file under /run/berth, released by the kernel when the daemon dies, with the owner's state directory and pid beside it.
/// Two daemons on one table would each render "my networks only" and delete the other's rules.
/// </summary>
public sealed class HostClaim : IDisposable
{
    public const string DefaultDirectory = "/run/berth";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileStream _lock;

    private HostClaim(FileStream held) => _lock = held;

    /// <summary>Takes the claim on <paramref name="resource"/> (a file name such as nft-berth), or returns why not: who holds it.</summary>
    public static HostClaim? TryTake(string resource, StatePaths paths, out string holder, string directory = DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
        var lockFile = Path.Combine(directory, resource + ".lock");
        var ownerFile = Path.Combine(directory, resource + ".owner");
        FileStream held;
        try
        {
            held = new FileStream(lockFile, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnerOnly });
        }
        catch (IOException)
        {
            // The lock file itself cannot be read while locked, so the owner is written next to it.
            var owner = File.Exists(ownerFile) ? File.ReadAllText(ownerFile).Split('\n', 2) : [];
            holder = owner.Length == 2 && owner[0].Length > 0
                ? $"the berthd of {owner[0]} (pid {owner[1].Trim()})"
                : "another berthd";
            return null;
        }

        var temp = ownerFile + ".tmp";
        using (var owner = new StreamWriter(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
            owner.Write($"{paths.Root}\n{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}\n");
        }

        File.Move(temp, ownerFile, overwrite: true);
        holder = paths.Root;
        return new HostClaim(held);
    }

    public void Dispose() => _lock.Dispose();
}
