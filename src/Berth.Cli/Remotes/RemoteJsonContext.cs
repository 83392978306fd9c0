using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Cli.Remotes;

/// <summary>Source-generated metadata for the CLI's own files and listings (the CLI is Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Remote))]
[JsonSerializable(typeof(RemoteConfig))]
[JsonSerializable(typeof(RemoteListing))]
[JsonSerializable(typeof(IReadOnlyList<RemoteListing>))]
internal sealed partial class RemoteJsonContext : JsonSerializerContext;
