using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>Container and image archives written by hand (tar + zstd), valid but for the one thing each test changes.</summary>
public sealed class CraftedArchives(string directory)
{
    private int _count;

    /// <summary>A berth.json that imports as it is.</summary>
    public static JsonObject Manifest(string name) => new()
    {
        ["format"] = "berth-container",
        ["version"] = 1,
        ["name"] = name,
        ["image"] = "busybox",
        ["privileged"] = false,
        ["config"] = new JsonObject(),
        ["createdAt"] = "2024-01-01T00:00:00+00:00",
        ["exportedAt"] = "2024-01-01T00:00:00+00:00",
        ["architecture"] = "x64",
        ["haltSignal"] = "SIGUSR1",
        ["snapshots"] = new JsonArray(),
    };

    /// <summary>An image.json that imports as it is (its fingerprint is its recipe's sha256).</summary>
    public static JsonObject ImageMetadata(string alias, string recipe) => new()
    {
        ["format"] = "berth-image",
        ["version"] = 1,
        ["alias"] = alias,
        ["fingerprint"] = new Daemon.Images.ImageDefinition(alias, "busybox", "1", recipe).Fingerprint,
        ["os"] = "busybox",
        ["release"] = "1",
        ["architecture"] = Daemon.Images.ImageStore.HostArchitecture,
        ["recipe"] = recipe,
        ["sizeBytes"] = 1,
        ["createdAt"] = "2024-01-01T00:00:00+00:00",
    };

    /// <summary>The members of a minimal root filesystem.</summary>
    public static IEnumerable<TarEntry> Rootfs()
    {
        yield return Directory("rootfs/");
        yield return Directory("rootfs/etc/");
        yield return File("rootfs/etc/hostname", "crafted\n");
    }

    public static TarEntry Directory(string name) => new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static TarEntry File(string name, string content) =>
        new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)0b110_100_100 };

    public static TarEntry Special(TarEntryType type, string name, string link = "", int major = 0, int minor = 0)
    {
        var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0b110_100_100 };
        if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
        {
            entry.LinkName = link;
        }

        if (type is TarEntryType.BlockDevice or TarEntryType.CharacterDevice)
        {
            entry.DeviceMajor = major;
            entry.DeviceMinor = minor;
        }

        return entry;
    }

    /// <summary>Writes first.json as the first member, then <paramref name="members"/>, compressed with zstd; returns the file.</summary>
    public async Task<string> WriteAsync(string firstMember, JsonNode? first, IEnumerable<TarEntry> members)
    {
        var number = Interlocked.Increment(ref _count);
        var tar = Path.Combine(directory, $"crafted-{number}.tar");
        await using (var stream = System.IO.File.Create(tar))
        await using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: false))
        {
            if (first is not null)
            {
                await writer.WriteEntryAsync(File(firstMember, first.ToJsonString()));
            }

            foreach (var member in members)
            {
                await writer.WriteEntryAsync(member);
            }
        }

        var file = tar + ".zst";
        await Host.RunCheckedAsync("zstd", "-q", "-f", "--rm", tar, "-o", file);
        return file;
    }

    public Task<string> ContainerAsync(JsonNode manifest, IEnumerable<TarEntry>? members = null) =>
        WriteAsync("berth.json", manifest, members ?? Rootfs());

    public Task<string> ImageAsync(JsonNode metadata, IEnumerable<TarEntry>? members = null) =>
        WriteAsync("image.json", metadata, members ?? Rootfs());

    /// <summary>A file that is not an archive at all, or one cut short.</summary>
    public async Task<string> RawAsync(byte[] content)
    {
        var file = Path.Combine(directory, $"raw-{Interlocked.Increment(ref _count)}.tar.zst");
        await System.IO.File.WriteAllBytesAsync(file, content);
        return file;
    }
}
