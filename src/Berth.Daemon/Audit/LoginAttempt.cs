using System.Text.Json;

namespace Berth.Daemon.Audit;

/// <summary>
/// The account name a login body names, so a failed login is recorded against the account tried. Only that one
/// property is read; the body is buffered and rewound for the endpoint, and the password or token in it is never kept.
/// </summary>
public static class LoginAttempt
{
    /// <summary>Login bodies are a name and a secret; anything bigger is not read.</summary>
    private const int MaxBody = 16 * 1024;

    private static readonly string[] NameProperties = ["name", "user", "userName", "username", "login"];

    public static async Task<string?> AccountAsync(HttpRequest request)
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
        return NameIn(body.AsSpan(0, read));
    }

    /// <summary>The first top-level string property called name, user, userName, username or login.</summary>
    public static string? NameIn(ReadOnlySpan<byte> json)
    {
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

                if (reader.TokenType == JsonTokenType.String && NameProperties.Contains(property, StringComparer.OrdinalIgnoreCase))
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint says so; the record just has no name.
        }

        return null;
    }
}
