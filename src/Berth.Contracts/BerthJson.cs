using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Contracts;

/// <summary>The one JSON shape the daemon writes and the client reads: camelCase, enums as kebab-case strings.</summary>
/// <remarks>Reflection-based, for the daemon's own types as well; the client and CLI use <see cref="WireJson"/>.</remarks>
[RequiresDynamicCode("Serializes any type through reflection; use WireJson in trimmed or AOT-compiled code.")]
public static class BerthJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        WireJson.Configure(options);

        // The daemon's own enums (job arguments, manifests) take the same kebab-case names.
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
