using System.Text.Json;
using Berth.Contracts;

namespace Berth.Cli.Output;

/// <summary>Writes API objects as the API's JSON: indented for a document, compact for a line of a stream.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(BerthJson.Options) { WriteIndented = true };

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, Indented));
    }

    public static void WriteLine<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, BerthJson.Options));
    }
}
