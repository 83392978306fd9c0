namespace Berth.Cli.Files;

/// <summary>A local entry as lstat sees it.</summary>
internal readonly record struct LocalStatus(ushort RawMode, uint Uid, uint Gid, long Size, ulong Device, ulong Inode, uint Links, uint DeviceMajor, uint DeviceMinor, DateTimeOffset ModifiedAt)
{
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint BlockDevice = 0x6000;

    public uint Type => RawMode & 0xf000u;

    public bool IsDirectory => Type == 0x4000;

    public bool IsFile => Type == 0x8000;

    public bool IsSymlink => Type == 0xa000;

    public UnixFileMode Mode => (UnixFileMode)(RawMode & 0xfff);
}
