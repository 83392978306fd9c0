using System.Text.Json;

namespace Berth.Daemon.Audit;

/// <summary>
/// The name a small JSON body gives (the account of a login, the new object of a create), so the record can say
/// what was tried. Only that one property is read; the body is buffered and rewound for the endpoint, and nothing
/// else in it (a password, a token, a key) is kept.
/// </summary>
public static class BodyName
{
    /// <summary>The properties naming the account a login is for.</summary>
    public static readonly string[] Account = ["user", "name", "userName", "username", "login"];

    /// <summary>The properties naming what a create makes.</summary>
    public static readonly string[] Created = ["name", "domain", "pattern", "alias"];

    /// <summary>Bodies that name something are small; anything bigger (or streamed) is not read.</summary>
    private const int MaxBody = 16 * 1024;

    public static async Task<string?> ReadAsync(HttpRequest request, IReadOnlyCollection<string> properties)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is not (> 0 and <= MaxBody) || request.HasFormContentType)
        {
            return null;
        }

        request.EnableBuffering(MaxBody);
        var body = new byte[(int)request.ContentLength.Value];
        var read = 0;
        while (read < body.Length && await request.Body.ReadAsync(body.AsMemory(read), request.HttpContext.RequestAborted).ConfigureAwait(false) is > 0 and var n)
        {
            read += n;
        }

        request.Body.Position = 0;
        return In(body.AsSpan(0, read), properties);
    }

    /// <summary>The first top-level string property of <paramref name="json"/> with one of the names (in the body's order).</summary>
    public static string? In(ReadOnlySpan<byte> json, IReadOnlyCollection<string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                if (!reader.Read())
                {
                    return null;
                }

                if (reader.TokenType == JsonTokenType.String && properties.Contains(property, StringComparer.OrdinalIgnoreCase))
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not valid UTF-16 (a lone surrogate): the endpoint says what is wrong; the record has no name.
        }

        return null;
    }
}
