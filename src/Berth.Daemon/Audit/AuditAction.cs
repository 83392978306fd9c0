using Microsoft.AspNetCore.Routing.Patterns;

namespace Berth.Daemon.Audit;

/// <summary>
/// Names what a request asked for from the route it matched, so every endpoint (also those added later) gets a
/// readable action without declaring one: the resource is the last collection in the pattern, the verb the method
/// or the pattern's last word (POST /containers/{name}/rename is container.rename). A few are named like their jobs.
/// </summary>
public static class AuditAction
{
    private static readonly Dictionary<string, string> Named = new(StringComparer.Ordinal)
    {
        ["POST /containers"] = "container.launch",
        ["GET /containers/{name}/exec"] = "container.exec",
        ["GET /containers/{name}/console"] = "container.console",
        ["PUT /containers/{name}/files"] = "file.write",
        ["POST /containers/{name}/files"] = "file.extract",
        ["DELETE /containers/{name}/files"] = "file.delete",
        ["POST /containers/{name}/forwards"] = "forward.add",
        ["DELETE /containers/{name}/forwards/{protocol}/{hostPort}"] = "forward.remove",
        ["POST /containers/{name}/ssh"] = "ssh.enable",
        ["DELETE /containers/{name}/ssh"] = "ssh.disable",
        ["POST /containers/{name}/ssh-keys"] = "ssh-key.add",
        ["DELETE /containers/{name}/ssh-keys/{which}"] = "ssh-key.remove",
        ["POST /routes"] = "route.add",
        ["DELETE /routes/{domain}"] = "route.remove",
        ["POST /certificates"] = "certificate.add",
        ["DELETE /certificates/{name}"] = "certificate.remove",
        ["POST /domain-bans"] = "domain.ban",
        ["DELETE /domain-bans/{pattern}"] = "domain.unban",
        ["POST /images"] = "image.build",
        ["PUT /users/{name}/totp"] = "user.totp.enable",
        ["DELETE /users/{name}/totp"] = "user.totp.disable",
        ["DELETE /users/{name}/tokens/{token}"] = "token.revoke",
    };

    /// <summary>The action for a request to <paramref name="pattern"/> with <paramref name="method"/>, e.g. forward.add.</summary>
    public static string Of(string method, RoutePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pattern);
        var segments = pattern.PathSegments
            .Select(s => s.Parts is [RoutePatternParameterPart p] ? (Parameter: true, Text: p.Name) : (Parameter: false, Text: string.Concat(s.Parts.OfType<RoutePatternLiteralPart>().Select(l => l.Content))))
            .SkipWhile(s => !s.Parameter && s.Text is "api" or "v1")
            .ToList();
        var key = $"{method} /{string.Join('/', segments.Select(s => s.Parameter ? "{" + s.Text + "}" : s.Text))}";
        if (Named.TryGetValue(key, out var named))
        {
            return named;
        }

        var literals = segments.Where(s => !s.Parameter).Select(s => s.Text).ToList();
        if (literals.Count == 0)
        {
            return "server." + method.ToLowerInvariant();
        }

        var last = literals[^1];
        if (segments[^1].Parameter || IsCollection(last))
        {
            var onItem = segments[^1].Parameter;
            return Singular(last) + "." + method.ToUpperInvariant() switch
            {
                "POST" => onItem ? "update" : "create",
                "DELETE" => onItem ? "delete" : "clear",
                "PUT" or "PATCH" => "update",
                _ => method.ToLowerInvariant(),
            };
        }

        // The last word is a verb or a property of the thing before it: rename, restore, state, login.
        return (literals.Count > 1 ? Singular(literals[^2]) : "server") + "." + last + (HttpMethods.IsDelete(method) ? ".delete" : "");
    }

    private static bool IsCollection(string word) => word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word != "status";

    private static string Singular(string word) =>
        word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y"
        : IsCollection(word) ? word[..^1]
        : word;
}
