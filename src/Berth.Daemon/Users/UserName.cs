using System.Text.RegularExpressions;
using Berth.Daemon.Api;

namespace Berth.Daemon.Users;

/// <summary>User names look like container names (RFC 1123 labels); "root" and "system" name the host's own callers.</summary>
public static partial class UserName
{
    private static readonly string[] Reserved = ["root", "system"];

    public static bool IsValid(string? name) => name is not null && Label().IsMatch(name) && !Reserved.Contains(name);

    /// <summary>Throws a 400 problem saying what a valid name looks like.</summary>
    public static string Validate(string? name, string field = "name") => IsValid(name) ? name! : throw Invalid(name, field);

    public static BerthProblem Invalid(string? name, string field = "name") => BerthProblem.BadRequest(
        "Invalid user name",
        name is not null && Reserved.Contains(name)
            ? $"'{name}' ({field}) is reserved for the host's own callers; choose another name."
            : $"'{Hosting.ControlCharacters.Visible(name is { Length: > 70 } ? name[..64] + "..." : name)}' ({field}) is not a valid user name: use 1-63 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.");

    /// <summary>A 404 for a name there is no user by; a 400 for one that could never be a name.</summary>
    public static BerthProblem NotFound(string name) => IsValid(name)
        ? BerthProblem.NotFound("User not found", $"there is no user named '{name}'; the users list shows the users there are.")
        : Invalid(name);

    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
