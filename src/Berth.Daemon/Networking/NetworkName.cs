using System.Text.RegularExpressions;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Networking;

/// <summary>A network's name is also its bridge's interface name, so it follows the kernel's rules (at most 15 bytes).</summary>
public static partial class NetworkName
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static string Validate(string? name) => IsValid(name)
        ? name!
        : throw DomainError.Invalid("Invalid network name", $"'{name}' is not a valid network name: 1-15 characters, a-z, 0-9 and '-', starting with a letter (it is also the bridge's name).");

    /// <summary>A 404 for a name there is no network by (or one the caller may not use); a 400 for one that could never be a name.</summary>
    public static DomainError NotFound(string name) => IsValid(name)
        ? DomainError.NotFound("Network not found", $"there is no network named '{name}'; GET /api/v1/networks lists them.")
        : DomainError.Invalid("Invalid network name", $"'{name}' is not a valid network name: 1-15 characters, a-z, 0-9 and '-', starting with a letter (it is also the bridge's name).");

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,14}\z")]
    private static partial Regex Pattern();
}
