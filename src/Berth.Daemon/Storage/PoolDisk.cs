namespace Berth.Daemon.Storage;

/// <summary>How full the filesystem under a pool's path is (statvfs through DriveInfo): for a btrfs pool on its own loop file, that file's filesystem.</summary>
public static class PoolDisk
{
    public static (long UsedBytes, long TotalBytes)? Read(string path)
    {
        try
        {
            if (!Directory.Exists(path))
            {
                return null;
            }

            var drive = new DriveInfo(path);
            return (drive.TotalSize - drive.TotalFreeSpace, drive.TotalSize); // used as df counts it: blocks not free, reserved ones included
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
