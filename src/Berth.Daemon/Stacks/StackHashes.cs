using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Contracts;

namespace Berth.Daemon.Stacks;

/// <summary>Hashes that decide what changed: a base by its definition and the content of its inputs, a container by each part of its definition.</summary>
public static class StackHashes
{
    /// <summary>The image's identity (its build time), the packages, every input's path, mode and content, the commands.</summary>
    public static string Base(StackBase definition, string imageIdentity, StackUpload upload)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(upload);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(definition, BerthJson.Options)));
        hash.AppendData(Encoding.UTF8.GetBytes("\0" + imageIdentity + "\0"));
        foreach (var copy in definition.Files)
        {
            foreach (var (path, file) in upload.Under(copy.Source))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"\0{copy.Destination}\0{path}\0{(int)file.Mode}\0"));
                hash.AppendData(SHA256.HashData(file.Content));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>What makes a container be copied anew: where it comes from and its network.</summary>
    public static string Identity(StackContainer c, string? baseHash, StackNetwork? network) => Of(new { c.Base, c.Image, baseHash, network });

    /// <summary>What runs inside: the service and its environment (a change restarts the container; a healthcheck is config).</summary>
    public static string Service(StackContainer c) => Of(new { c.Service, c.Env });

    public static string Config(StackContainer c) => Of(c.Config);

    public static string Forwards(StackContainer c) => Of(c.Forwards);

    public static string Routes(StackContainer c) => Of(c.Routes);

    private static string Of(object value) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(value, BerthJson.Options)));
}
