using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Users;

/// <summary>A token's scope as the API and the tokens table spell it: full or metrics.</summary>
public static class TokenScopes
{
    public static string Text(TokenScope scope) => scope == TokenScope.Metrics ? "metrics" : "full";

    /// <summary>The stored text; anything but "full" reaches only metrics, so a damaged row never widens a token.</summary>
    public static TokenScope Parse(string text) => text == "full" ? TokenScope.Full : TokenScope.Metrics;

    /// <summary>The scope a create request asks for: none or "full" for full, "metrics" for metrics-only.</summary>
    public static TokenScope FromRequest(string? scope) => scope switch
    {
        null or "full" => TokenScope.Full,
        "metrics" => TokenScope.Metrics,
        _ => throw DomainError.Invalid("Invalid scope", $"'{Hosting.ControlCharacters.Visible(scope)}' (scope) is not a token scope: use full (everything the user may) or metrics (only GET /metrics)."),
    };
}
