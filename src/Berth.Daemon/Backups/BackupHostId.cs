using System.Security.Cryptography;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Backups;

/// <summary>
/// The name this Berth gives restic as the snapshots' host: fixed in the state directory on first use, so renaming
/// the machine does not make restic lose the previous snapshot (its parent) and read every file again.
/// </summary>
public sealed class BackupHostId(StatePaths paths)
{
    private readonly Lazy<string> _id = new(() => ReadOrCreate(Path.Combine(paths.Root, "host-id")));

    public string Value => _id.Value;

    private static string ReadOrCreate(string file)
    {
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }

        var id = "berth-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        File.WriteAllText(file, id + "\n");
        return id;
    }
}
