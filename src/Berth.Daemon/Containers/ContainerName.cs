using System.Text.RegularExpressions;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>Container names are RFC 1123 labels: they become host names, directory names and DNS names.</summary>
public static partial class ContainerName
{
    public static bool IsValid(string? name) => name is not null && Label().IsMatch(name);

    /// <summary>Throws a 400 problem saying what a valid name looks like.</summary>
    public static string Validate(string? name)
    {
        return IsValid(name) ? name! : throw Invalid(name);
    }

    /// <summary>A 404 for a name there is no container by (or one the caller may not see); a 400 saying what names look like for one that could never be a name.</summary>
    public static DomainError NotFound(string name) => IsValid(name)
        ? DomainError.NotFound("Container not found", $"There is no container named '{name}'; GET /api/v1/containers lists the containers there are.")
        : Invalid(name);

    public static DomainError Invalid(string? name) => DomainError.Invalid(
        "Invalid container name",
        $"'{Hosting.ControlCharacters.Visible(name is { Length: > 70 } ? name[..64] + "..." : name)}' is not a valid container name: use 1-63 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (an RFC 1123 label).");

    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
