using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Contracts;

/// <summary>The one JSON shape the daemon writes and the client reads: camelCase, enums as kebab-case strings.</summary>
public static class BerthJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

        // API and CLI output, never embedded in HTML: keep quotes and apostrophes readable.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
