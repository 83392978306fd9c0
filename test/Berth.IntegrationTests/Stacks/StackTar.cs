using System.Formats.Tar;
using System.Text;

namespace Berth.IntegrationTests.Stacks;

/// <summary>Builds the tar berth up sends: stack/FILE entries and input/PATH entries.</summary>
internal static class StackTar
{
    public static byte[] Pack(string yaml, IReadOnlyDictionary<string, string>? inputs = null, string file = "berth.yml") =>
        Pack(yaml, (inputs ?? new Dictionary<string, string>()).ToDictionary(i => i.Key, i => Encoding.UTF8.GetBytes(i.Value)), file);

    public static byte[] Pack(string yaml, IReadOnlyDictionary<string, byte[]> inputs, string file = "berth.yml")
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"stack/{file}") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(yaml)) });
            foreach (var (path, content) in inputs)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"input/{path}") { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 });
            }
        }

        return buffer.ToArray();
    }
}
