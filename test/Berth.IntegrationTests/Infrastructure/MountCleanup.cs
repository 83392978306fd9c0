namespace Berth.IntegrationTests.Infrastructure;

/// <summary>Unmounts whatever a test mounted under its own directory (loop-backed pools), deepest first, before the directory is removed.</summary>
public static class MountCleanup
{
    public static async Task UnmountUnderAsync(string directory)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        var mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(mountPoint => mountPoint.StartsWith(root, StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();
        foreach (var mountPoint in mounts)
        {
            await Host.RunAsync("umount", "--", mountPoint);
        }
    }
}
