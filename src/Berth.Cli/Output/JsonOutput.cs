using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Contracts;

namespace Berth.Cli.Output;

/// <summary>Writes API objects as the API's JSON: indented for a document, compact for a line of a stream.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(WireJson.Options) { WriteIndented = true };

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T))));
    }

    public static void WriteLine<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, WireJson.TypeInfo<T>()));
    }
}
